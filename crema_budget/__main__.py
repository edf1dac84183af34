"""``python -m crema_budget`` works like the ``crema-budget`` command."""

from crema_budget.cli import main

if __name__ == "__main__":
    main()
