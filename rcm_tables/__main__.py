from .cli import run

if __name__ == "__main__":  # also imported by the processes that parse exports in parallel
    run()
