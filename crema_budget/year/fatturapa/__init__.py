"""FatturaPA e-invoices: files and folders read into records, the Sistema di
Interscambio's arithmetic and tolerances, and the document types by name."""
