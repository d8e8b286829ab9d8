import sys

from editions import main

sys.exit(main())
