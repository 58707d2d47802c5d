from ocindex.cli import main

main()
