# ruff: noqa: N999 - migration modules are named by number
import importlib

Migration = importlib.import_module("zhengcai.api.migrations.0001_initial").Migration
