"""The one compiled part: the network explorer's shortest path (decision 0013).
Everything else about the package is in pyproject.toml."""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "clearsight.intel._pathfind",
            sources=["src/clearsight/intel/_pathfind.c"],
            extra_compile_args=["-O2", "-Wall", "-Wextra", "-Wno-missing-field-initializers"],
        )
    ]
)
