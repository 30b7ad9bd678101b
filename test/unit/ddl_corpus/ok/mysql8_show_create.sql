CREATE TABLE `orders` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `customer_id` int NOT NULL,
  `placed_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  `note` text COLLATE utf8mb4_0900_as_cs,
  `doc` json DEFAULT NULL,
  `pt` point NOT NULL /*!80003 SRID 4326 */,
  `uid` binary(16) NOT NULL DEFAULT (uuid_to_bin(uuid())),
  `extra` int DEFAULT NULL /*!80023 INVISIBLE */,
  PRIMARY KEY (`id`),
  KEY `fk_customer` (`customer_id`),
  SPATIAL KEY `sp` (`pt`),
  KEY `f` ((cast(json_extract(`doc`,_utf8mb4'$.n') as unsigned array))),
  CONSTRAINT `fk_customer` FOREIGN KEY (`customer_id`) REFERENCES `customers` (`id`) ON DELETE CASCADE,
  CONSTRAINT `orders_chk_1` CHECK ((`customer_id` > 0)) /*!80016 NOT ENFORCED */
) ENGINE=InnoDB AUTO_INCREMENT=5 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci STATS_PERSISTENT=0
