-- The inventory database of the classic Debezium tutorial, trimmed: customers, orders and order
-- lines (a composite primary key), with rows for Debezium's snapshot. MySQL 8.x and MariaDB run it
-- unchanged; the Connect test runs it on MariaDB.
CREATE DATABASE IF NOT EXISTS inventory;

CREATE TABLE inventory.customers (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  first_name VARCHAR(255) NOT NULL,
  last_name VARCHAR(255) NOT NULL,
  email VARCHAR(255) NOT NULL UNIQUE
) AUTO_INCREMENT = 1001;

CREATE TABLE inventory.orders (
  order_number INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  order_date DATE NOT NULL,
  purchaser INT NOT NULL,
  status VARCHAR(32) NOT NULL,
  FOREIGN KEY (purchaser) REFERENCES inventory.customers (id)
) AUTO_INCREMENT = 10001;

CREATE TABLE inventory.order_lines (
  order_number INT NOT NULL,
  line_no INT NOT NULL,
  product VARCHAR(255) NOT NULL,
  quantity INT NOT NULL,
  PRIMARY KEY (order_number, line_no),
  FOREIGN KEY (order_number) REFERENCES inventory.orders (order_number)
);

INSERT INTO inventory.customers (first_name, last_name, email) VALUES
  ('Sally', 'Thomas', 'sally.thomas@acme.com'),
  ('George', 'Bailey', 'gbailey@foobar.com'),
  ('Edward', 'Walker', 'ed@walker.com'),
  ('Anne', 'Kretchmar', 'annek@noanswer.org');

INSERT INTO inventory.orders (order_date, purchaser, status) VALUES
  ('2026-01-16', 1001, 'paid'),
  ('2026-01-17', 1002, 'paid'),
  ('2026-02-19', 1002, 'shipped');

INSERT INTO inventory.order_lines VALUES
  (10001, 1, 'scooter', 1),
  (10001, 2, 'car battery', 2),
  (10002, 1, 'hammer', 5),
  (10003, 1, 'spare tire', 4);
