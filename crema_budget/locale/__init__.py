"""Message catalogs: ``it/LC_MESSAGES/crema_budget.po`` and its compiled ``.mo``."""
