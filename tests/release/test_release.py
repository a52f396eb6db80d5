"""How people install and run edgelint, checked as they would meet it: the workflows and the
action pass actionlint and shellcheck, the README's GitHub Actions and pre-commit snippets work
as written against a local clone with a tag, and every place that names the version agrees.

Run by tests/release.rs, which installs the tools (requirements.txt, package.json) and gives
EDGELINT_BIN (the binary the test suite built), ACTIONLINT_MODULE and NODE.
"""

import json
import os
import re
import shutil
import stat
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from base64 import urlsafe_b64encode
from hashlib import sha256
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
VERSION = tomllib.loads((ROOT / "Cargo.toml").read_text())["workspace"]["package"]["version"]
WORKFLOWS = sorted((ROOT / ".github/workflows").glob("*.yml"))
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
# The hooks repository's package is built with setuptools, from the local wheelhouse.
SETUPTOOLS = "setuptools==80.9.0"

WASTEFUL = 'def checksum(data_path):\n    return sum([x for x in open(data_path, "rb").read()])\n'
CLEAN = 'def checksum(data_path):\n    return sum(x for x in open(data_path, "rb").read())\n'


def run(*command, cwd=None, env=None, check=True):
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    if check and done.returncode:
        pytest.fail(f"{command} exited {done.returncode}:\n{done.stdout}{done.stderr}")
    return done


# -- actionlint and shellcheck ---------------------------------------------------------------


def actionlint(*workflows):
    """actionlint's findings, less the runner labels `.github/actionlint.yaml` declares (as the
    actionlint command would read them; the WebAssembly build cannot read a configuration)."""
    config = yaml.safe_load((ROOT / ".github/actionlint.yaml").read_text())
    known = config["self-hosted-runner"]["labels"]
    script = ROOT / "tests/release/actionlint.cjs"
    output = run(os.environ["NODE"], script, *workflows).stdout
    return [
        finding
        for finding in json.loads(output)
        if not (finding["kind"] == "runner-label" and any(f'"{label}"' in finding["message"] for label in known))
    ]


def shellcheck(script):
    """shellcheck's findings on a `run:` script, its `${{ }}` expressions replaced by a word of
    the same length, as actionlint does before it calls shellcheck."""
    plain = re.sub(r"\$\{\{.*?\}\}", lambda found: "_" * len(found.group()), script)
    done = subprocess.run(
        ["shellcheck", "--shell=bash", "--format=gcc", "-"], input=plain, capture_output=True, text=True
    )
    return done.stdout


def run_steps(document):
    """Every step with a script, in the workflow's jobs or the action's `runs`."""
    if "runs" in document:
        yield from document["runs"]["steps"]
        return
    for job in document["jobs"].values():
        yield from job.get("steps", [])


def action_as_workflow():
    """The action's steps as a reusable workflow's job, whose inputs are the action's: what
    actionlint can check of an action (it checks workflows, not action metadata)."""
    return {
        "name": "action",
        "on": {
            "workflow_call": {
                "inputs": {
                    name: {"type": "string", "required": False, "default": spec["default"]}
                    for name, spec in ACTION["inputs"].items()
                }
            }
        },
        "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": ACTION["runs"]["steps"]}},
    }


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_every_workflow_passes_actionlint_and_shellcheck(workflow):
    assert actionlint(workflow) == []
    for step in run_steps(yaml.safe_load(workflow.read_text())):
        if "run" in step:
            assert shellcheck(step["run"]) == "", step["run"]


def test_the_action_passes_actionlint_and_shellcheck(tmp_path):
    workflow = tmp_path / "action.yml"
    workflow.write_text(yaml.safe_dump(action_as_workflow(), sort_keys=False))
    assert actionlint(workflow) == []
    scripts = [step["run"] for step in ACTION["runs"]["steps"] if "run" in step]
    assert len(scripts) == 2
    for script in scripts:
        assert shellcheck(script) == "", script
        # Inputs reach the scripts through the environment: nothing is spliced into their text.
        assert "${{" not in script


def test_actionlint_and_shellcheck_find_mistakes(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\n"
        "jobs:\n"
        "  a:\n"
        "    runs-on: no-such-runner\n"
        "    steps:\n"
        "      - run: echo ${{ inputs.nothing }}\n"
    )
    kinds = sorted(finding["kind"] for finding in actionlint(broken))
    assert kinds == ["expression", "runner-label"]
    assert "SC2086" in shellcheck('cd $RUNNER_TEMP\necho "${{ github.sha }}"\n')


# -- the README's GitHub Actions snippet, run as a runner runs the action ------------------------


def readme_block(marker):
    """The README's one YAML block that contains `marker`."""
    blocks = re.findall(r"```yaml\n(.*?)```", (ROOT / "README.md").read_text(), re.DOTALL)
    found = [block for block in blocks if marker in block]
    assert len(found) == 1, f"one README block with {marker!r}, found {len(found)}"
    return found[0]


def as_input(value):
    """A `with:` value as the runner passes it: YAML's true is the string `true`."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def expand(value, inputs):
    """An `env:` value of the action: only `${{ inputs.NAME }}` is used, and known here."""
    found = re.fullmatch(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", value)
    assert found, f"the local runner knows only `${{{{ inputs.NAME }}}}`, not {value!r}"
    return inputs[found.group(1)]


def run_action(given, workspace, wheelhouse):
    """Run the action's script steps with bash as a GitHub runner would: `GITHUB_PATH` and
    `GITHUB_OUTPUT` are honoured, and a failed step ends the run. pip installs from the
    wheelhouse instead of PyPI. Gives (exit status, output, the step outputs)."""
    unknown = set(given) - set(ACTION["inputs"])
    assert not unknown, f"the action has no input {unknown}"
    inputs = {name: spec["default"] for name, spec in ACTION["inputs"].items()} | {
        name: as_input(value) for name, value in given.items()
    }
    runner = workspace.parent / f"runner-{workspace.name}"
    (runner / "temp").mkdir(parents=True)
    github_path, github_output = runner / "path", runner / "output"
    github_path.touch()
    github_output.touch()
    environment = dict(
        os.environ,
        RUNNER_TEMP=str(runner / "temp"),
        GITHUB_PATH=str(github_path),
        GITHUB_OUTPUT=str(github_output),
        PIP_NO_INDEX="1",
        PIP_FIND_LINKS=str(wheelhouse),
        NO_COLOR="1",
    )
    output = ""
    for step in ACTION["runs"]["steps"]:
        if "run" not in step:
            continue
        step_environment = environment | {name: expand(value, inputs) for name, value in step.get("env", {}).items()}
        added = github_path.read_text().split()
        step_environment["PATH"] = os.pathsep.join([*reversed(added), environment["PATH"]])
        script = runner / "step.sh"
        script.write_text(step["run"])
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-e", "-o", "pipefail", script],
            cwd=workspace,
            env=step_environment,
            capture_output=True,
            text=True,
        )
        output += done.stdout + done.stderr
        if done.returncode:
            break
    outputs = dict(line.split("=", 1) for line in github_output.read_text().splitlines())
    return done.returncode, output, outputs


def test_the_readme_ci_snippet_annotates_and_uploads_sarif(tmp_path, wheelhouse):
    snippet = readme_block("uses: edgelint/edgelint@")
    workflow = tmp_path / "edgelint.yml"
    workflow.write_text(snippet)
    assert actionlint(workflow) == []
    steps = yaml.safe_load(snippet)["jobs"]["edgelint"]["steps"]
    [step] = [step for step in steps if step.get("uses", "").startswith("edgelint/edgelint@")]
    assert step["uses"] == f"edgelint/edgelint@v{VERSION.split('.')[0]}"
    given = step.get("with", {})

    project = tmp_path / "project"
    project.mkdir()
    (project / "wasteful.py").write_text(WASTEFUL)
    status, output, outputs = run_action(given, project, wheelhouse)
    assert status == 1, output
    assert f"edgelint {VERSION}" in output
    assert "::warning file=wasteful.py,line=2,col=16," in output, output
    assert "title=EL201 list-comprehension-in-consumer::" in output, output
    if as_input(given.get("sarif", "false")) == "true":
        sarif = json.loads(Path(outputs["sarif-file"]).read_text())
        assert [result["ruleId"] for result in sarif["runs"][0]["results"]] == ["EL201"]
    upload = ACTION["runs"]["steps"][-1]
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert "inputs.sarif == 'true'" in upload["if"] and upload["if"].startswith("always()")

    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "checksum.py").write_text(CLEAN)
    status, output, _ = run_action(given, clean, wheelhouse)
    assert status == 0, output


def test_the_action_passes_paths_and_arguments_as_words(tmp_path, wheelhouse):
    project = tmp_path / "project"
    for folder in ["src", "scripts", "other"]:
        (project / folder).mkdir(parents=True)
        (project / folder / "wasteful.py").write_text(WASTEFUL)
    given = {"src": "src scripts", "args": "--exit-zero --ignore EL104", "version": VERSION}
    status, output, outputs = run_action(given, project, wheelhouse)
    assert (status, outputs) == (0, {}), output
    annotated = re.findall(r"::warning file=([^,]+),", output)
    assert annotated == ["scripts/wasteful.py", "src/wasteful.py"], output


# -- pre-commit ------------------------------------------------------------------------------


def wheel_from_binary(binary, directory):
    """A wheel of the binary the test suite built, tagged for this platform, as maturin lays
    one out: the program in the data's scripts, and the metadata pip reads."""
    platform = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    name = f"edgelint-{VERSION}"
    files = {
        f"{name}.data/scripts/edgelint": Path(binary).read_bytes(),
        f"{name}.dist-info/METADATA": f"Metadata-Version: 2.1\nName: edgelint\nVersion: {VERSION}\n".encode(),
        f"{name}.dist-info/WHEEL": f"Wheel-Version: 1.0\nGenerator: edgelint-tests\nRoot-Is-Purelib: false\nTag: py3-none-{platform}\n".encode(),
    }
    record = f"{name}.dist-info/RECORD"
    lines = [
        f"{path},sha256={urlsafe_b64encode(sha256(data).digest()).rstrip(b'=').decode()},{len(data)}"
        for path, data in files.items()
    ]
    files[record] = ("\n".join([*lines, f"{record},,"]) + "\n").encode()
    wheel = directory / f"{name}-py3-none-{platform}.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, data in files.items():
            entry = zipfile.ZipInfo(path)
            # pip makes a file executable when the archive says it is a regular file with x bits.
            entry.external_attr = (stat.S_IFREG | (0o755 if path.endswith("/edgelint") else 0o644)) << 16
            archive.writestr(entry, data)
    return wheel


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory):
    """Where pip finds packages in these tests instead of PyPI: the wheel of the built binary,
    and setuptools to build the hooks repository's package."""
    directory = tmp_path_factory.mktemp("wheelhouse")
    wheel_from_binary(os.environ["EDGELINT_BIN"], directory)
    run(sys.executable, "-m", "pip", "download", "--quiet", "--only-binary", ":all:", "--dest", directory, SETUPTOOLS)
    return directory


def git(*args, cwd):
    return run("git", "-c", "user.name=test", "-c", "user.email=test@example.com", *args, cwd=cwd)


def test_the_readme_pre_commit_snippet_installs_the_published_wheel(tmp_path, wheelhouse):
    # The hooks repository as a release leaves it: release/pre-commit/, tagged with the version.
    hooks = tmp_path / "edgelint-pre-commit"
    shutil.copytree(ROOT / "release/pre-commit", hooks)
    git("init", "--quiet", cwd=hooks)
    git("add", ".", cwd=hooks)
    git("commit", "--quiet", "--message", "release", cwd=hooks)
    git("tag", f"v{VERSION}", cwd=hooks)

    snippet = readme_block("edgelint/edgelint-pre-commit")
    url = "https://github.com/edgelint/edgelint-pre-commit"
    assert f"repo: {url}\n" in snippet and f"rev: v{VERSION}\n" in snippet, snippet
    project = tmp_path / "project"
    project.mkdir()
    (project / ".pre-commit-config.yaml").write_text(snippet.replace(url, str(hooks)))
    (project / "wasteful.py").write_text(WASTEFUL)
    git("init", "--quiet", cwd=project)
    git("add", ".", cwd=project)
    environment = dict(
        os.environ,
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
        PIP_NO_INDEX="1",
        PIP_FIND_LINKS=str(wheelhouse),
        NO_COLOR="1",
    )
    pre_commit = Path(sys.executable).parent / "pre-commit"
    failed = run(pre_commit, "run", "--all-files", cwd=project, env=environment, check=False)
    output = failed.stdout + failed.stderr
    assert failed.returncode == 1, output
    assert "EL201" in output and "wasteful.py:2:16" in output, output

    (project / "wasteful.py").write_text(CLEAN)
    git("add", ".", cwd=project)
    passed = run(pre_commit, "run", "--all-files", cwd=project, env=environment, check=False)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "edgelint" in passed.stdout and "Passed" in passed.stdout, passed.stdout


def test_the_source_hook_is_the_wheel_hook_and_the_readme_names_it():
    source = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    wheel = yaml.safe_load((ROOT / "release/pre-commit/.pre-commit-hooks.yaml").read_text())
    assert source == wheel
    assert [hook["id"] for hook in source] == ["edgelint"]
    snippet = yaml.safe_load(readme_block("repo: https://github.com/edgelint/edgelint\n"))
    [repository] = snippet["repos"]
    assert repository["rev"] == f"v{VERSION}"
    assert [hook["id"] for hook in repository["hooks"]] == ["edgelint"]


# -- one version everywhere ----------------------------------------------------------------------


def test_every_place_names_the_version_of_cargo_toml():
    assert ACTION["inputs"]["version"]["default"] == VERSION
    hooks_package = tomllib.loads((ROOT / "release/pre-commit/pyproject.toml").read_text())["project"]
    assert hooks_package["version"] == VERSION
    assert hooks_package["dependencies"] == [f"edgelint=={VERSION}"]
    readme = (ROOT / "README.md").read_text()
    assert sorted(set(re.findall(r"rev: (\S+)", readme))) == [f"v{VERSION}"]
    assert sorted(set(re.findall(r"edgelint==([\w.]+)", readme))) == [VERSION]
    release = yaml.safe_load((ROOT / ".github/workflows/release.yml").read_text())
    maturin = (ROOT / "release/requirements.txt").read_text()
    assert f"maturin=={release['env']['MATURIN_VERSION']}\n" in maturin


def test_release_notes_are_the_changelog_section_of_the_tagged_version():
    notes = ROOT / "release/notes.py"
    printed = run(sys.executable, notes, f"v{VERSION}").stdout
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert printed.strip() and printed.strip() in changelog
    assert not printed.startswith("#") and f"\n## " not in printed
    wrong_tag = run(sys.executable, notes, "v99.0.0", check=False)
    assert wrong_tag.returncode == 1 and "not the version in Cargo.toml" in wrong_tag.stderr
    no_notes = run(sys.executable, notes, "99.0.0", check=False)
    assert no_notes.returncode == 1 and "no notes" in no_notes.stderr
