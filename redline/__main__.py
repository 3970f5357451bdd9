"""``python -m redline …`` (and a script path spark-submit can run): the ``redline`` command."""

from redline.cli import main

if __name__ == "__main__":
    main()
