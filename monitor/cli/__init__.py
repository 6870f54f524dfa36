"""Command line: ``monitor [--config PATH] COMMAND``.

``parser`` builds the argument parser (in Chinese, ``words``), ``commands`` holds one function per
command (``validate`` the longest), ``common`` what they share: reading the config, opening the
store, ``--as-of``, the status table. Heavy modules are imported inside each command so that
``monitor --help`` starts fast.
"""

from __future__ import annotations

import sqlite3
import sys
import threading

from ..errors import UsageError
from .commands import COMMANDS
from .common import FILE_ERRORS, explain_store_fault
from .parser import build_parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from .. import logs

    logs.setup(args.verbose)
    if not args.command:
        parser.print_help()
        return 2
    from ..config import ConfigError
    from ..store.errors import StoreError

    try:
        return COMMANDS[args.command](args) or 0
    except (ConfigError, UsageError) as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    except StoreError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 1
    except OSError as e:
        # A file the officer named cannot be read or written (-o in a read-only folder, …).
        name = f"{e.filename}：" if getattr(e, "filename", None) else ""
        print(f"错误：无法读写文件 {name}{FILE_ERRORS.get(e.errno, f'操作失败（错误码 {e.errno}）')}", file=sys.stderr)
        return 1
    except sqlite3.Error as e:
        # The store failed mid-command (a disk filling up, a file replaced underneath): say what to do.
        print(f"错误：{explain_store_fault(args, e)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def entry() -> None:
    """``monitor`` on the command line: run the command, then leave without tearing the interpreter
    down. Freeing every module and object one by one costs a short command ~50 ms and gives it
    nothing, once the stores are closed and the logs and output flushed (mypy leaves the same way)."""
    code = main()
    others = [t for t in threading.enumerate() if t is not threading.main_thread() and not t.daemon]
    if others:      # a thread still working gets the ordinary exit, which waits for it
        sys.exit(code)
    if "monitor.store" in sys.modules:
        sys.modules["monitor.store"].close_all()
    from .. import logs

    logs.exit_now(code)
