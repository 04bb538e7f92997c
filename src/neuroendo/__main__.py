"""``python -m neuroendo`` runs the command-line interface."""

from neuroendo.cli import main

if __name__ == "__main__":
    main()
