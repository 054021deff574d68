import importlib
import os
import pkgutil
import sys

import django


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnership.settings")
    django.setup()
    import bench

    only = set(sys.argv[1:])
    for module_info in sorted(pkgutil.iter_modules(bench.__path__), key=lambda m: m.name):
        if not module_info.name.endswith("_bench"):
            continue
        if only and module_info.name.removesuffix("_bench") not in only:
            continue
        module = importlib.import_module(f"bench.{module_info.name}")
        for name, value in module.run():
            print(f"{name}: {value}", flush=True)


if __name__ == "__main__":
    main()
