"""The agreement's year: the office's register, what falls due when, the monitoring at a
date (due, invoiced, paid, forecast, every anomaly), the e-invoices and split payment."""
