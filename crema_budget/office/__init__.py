"""The office's duties around the agreement, from the register of its year: the
commitments that invoices must not exceed (``commitments``) and the payment-timeliness
indicator published each quarter and year (``timeliness``); ``invoices`` holds the
invoices as whole documents paid."""
