"""Entry script of the frozen build: the same ``lapor-desk`` command (window by default, CLI with arguments)."""

from ui.plugin import main

if __name__ == "__main__":
    main()
