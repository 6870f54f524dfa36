"""What went wrong with the store, in one Chinese sentence with what to do about it."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path


class StoreError(Exception):
    """The database cannot be used; the message says why and what to do. Printed without a traceback."""


def explain(e: BaseException, path: Path) -> str:
    text = str(e).lower()
    if isinstance(e, OSError):
        if e.errno == errno.ENOSPC:
            return f"{path}：磁盘已满，无法写入。请清理磁盘空间后重试（本次的改动没有写入）"
        if e.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return f"{path.parent}：没有写入权限。请检查 state 目录的属主和权限（Docker 中应属于镜像内的用户）"
        return f"{path}：无法访问（{e.strerror or e}）"
    if "not a database" in text:
        return f"{path}：不是 monitor 的数据库文件（可能被其他程序覆盖）。请检查 database 设置，或把它移走后重新运行"
    if "malformed" in text or "corrupt" in text:
        return (f"{path}：数据库文件已损坏。请停止 monitor，用备份替换它，"
                "或把它移走后重新运行（将重新抓取，历史记录会丢失）")
    if "locked" in text or "busy" in text:
        return f"{path}：数据库正被另一个 monitor 进程长时间占用，请稍后重试"
    if "readonly" in text or "read-only" in text:
        return f"{path}：数据库或其所在目录只读，无法写入。请检查文件和 state 目录的权限"
    if "disk is full" in text or "disk full" in text:
        return f"{path}：磁盘已满，无法写入。请清理磁盘空间后重试（本次的改动没有写入）"
    if "unable to open" in text:
        if path.is_dir():
            return f"{path}：这是一个目录，不是数据库文件。请在配置的 database 中写文件路径"
        return f"{path}：无法打开数据库文件。请检查路径和 state 目录的权限"
    if isinstance(e, sqlite3.Error):
        return f"{path}：数据库出错（{e}）"
    return f"{path}：{e}"
