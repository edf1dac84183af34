"""The office's duties around the agreement, from the register of its year: the
commitments that invoices must not exceed (``commitments``), the payment-timeliness
indicator published each quarter and year (``timeliness``), and the dataset of
art. 1, comma 32 of Law 190/2012 sent to ANAC by 31 January (``anac``); ``invoices``
holds the invoices as whole documents paid, which the last two share."""
