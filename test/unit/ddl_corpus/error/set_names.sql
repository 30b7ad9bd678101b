-- error: unsupported statement "SET NAMES"
/*!40101 SET NAMES utf8mb4 */;
