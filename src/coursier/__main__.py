from coursier.cli import main

main()
