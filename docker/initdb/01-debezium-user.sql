-- The account Debezium reads the binlog with, for MySQL 8.x and MariaDB alike (MariaDB shows
-- REPLICATION CLIENT as BINLOG MONITOR). The password is for a local stack only.
CREATE USER IF NOT EXISTS 'debezium'@'%' IDENTIFIED BY 'dbz';
GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT, LOCK TABLES ON *.* TO 'debezium'@'%';
