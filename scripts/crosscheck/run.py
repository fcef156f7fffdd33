"""Runs the Python code given as the first argument, with the rest as its sys.argv[1:]."""
import sys

code = sys.argv[1]
sys.argv = [sys.argv[0]] + sys.argv[2:]
exec(compile(code, "<test>", "exec"))
