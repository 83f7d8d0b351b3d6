from chidao.cli import main

raise SystemExit(main())
