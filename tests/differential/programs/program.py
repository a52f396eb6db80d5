"""A generated program: the rule it targets and its source, built from one template.

Every program imports the helpers of `difftest_support`, defines what the generator drew,
calls it once, and prints the result (or the type of the exception it raised, caught so that
a changed exception is a changed output) and the side effects logged along the way. It sets
`completed`, which the executor reads to tell a program that ran to completion.
"""

from dataclasses import dataclass

SUPPORT_NAMES = (
    "Anything, Box, DrainQueue, Log, Matrix, Registry, Splitter, Watched, drain, poke, sample_array, "
    "sample_path, show"
)


@dataclass(frozen=True)
class Program:
    rule: str
    source: str


def module(rule, definitions, call, imports=(), setup="", flag=True, width=3):
    """The source of a program for `rule`: `definitions` then `call`, with its output printed.

    `imports` are import statements; `setup` runs at module level before the call (values shared by the call's arguments);
    `flag` and `width` are module globals the drawn expressions may read.
    """
    import_lines = "".join(f"{statement}\n" for statement in imports)
    return Program(rule, f'''\
{import_lines}from difftest_support import {SUPPORT_NAMES}

log = Log()
flag = {flag!r}
width = {width!r}


{definitions.strip()}


{setup.strip()}
try:
    print("result:", show({call}))
    completed = True
except Exception as error:
    print("raised", type(error).__name__)
    completed = False
print("log:", log.entries)
''')
