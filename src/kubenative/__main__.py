from kubenative.cli import main

raise SystemExit(main())
