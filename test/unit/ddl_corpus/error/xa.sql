-- error: unsupported statement "XA START"
XA START 'trx1'
