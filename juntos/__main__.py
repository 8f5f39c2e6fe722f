from juntos.cli import main

main()
