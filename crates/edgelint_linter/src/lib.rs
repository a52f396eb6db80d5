//! Lints one source: parse, build the semantic model, run the rules, drop what `noqa` comments
//! suppress, and resolve what is left into report messages.
//!
//! Invariant: everything about one file happens inside one call, and nothing of the file (text,
//! tree, model) outlives it; the caller gets back only [`Message`]s.

mod add_noqa;
mod fix;
mod noqa;
mod notebook;

use std::cell::OnceCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;

use edgelint_diagnostics::{Applicability, Diagnostic, Edit, Fix, Message, Severity, SourceView};
use edgelint_rules::{check_module, engine, find_rule, FileRole, PythonVersion, Rule, RuleSet};
use edgelint_semantic::{ProjectContext, SemanticModel};
use edgelint_source::{FileKind, ParsedSource, SourceReadError};
use ruff_source_file::LineIndex;
use ruff_text_size::{TextRange, TextSize};

pub use add_noqa::add_noqa;
pub use fix::{apply_fixes, fix_until_settled, FixMode, FixOutcome, MAX_FIX_PASSES};
pub use noqa::Suppressions;

/// What to check.
#[derive(Copy, Clone, Debug)]
pub struct LintOptions<'a> {
    pub rules: &'a RuleSet,
    /// Severities that replace the rules' own (`[rules.EL101] severity = "error"`).
    pub severities: &'a [(&'static str, Severity)],
    /// The Python version the code targets.
    pub target_version: PythonVersion,
    /// The project the file is checked in: the other modules' summaries (`None` checks the file
    /// alone).
    pub project: Option<ProjectContext<'a>>,
}

/// A panic inside edgelint while checking one file: a bug, reported as such.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InternalError {
    pub message: String,
}

/// Reads and lints the file at `path`, naming it `display_name` in messages.
pub fn lint_path(
    path: &Path,
    display_name: &str,
    options: LintOptions,
) -> Result<Vec<Message>, InternalError> {
    lint_source(
        edgelint_source::read_source(path),
        path,
        display_name,
        options,
    )
}

/// Lints a source as read from `path` (or standard input): a source that could not be read is
/// one `io-error` message, and a panic is an [`InternalError`] instead of a crash.
pub fn lint_source(
    source: Result<String, SourceReadError>,
    path: &Path,
    display_name: &str,
    options: LintOptions,
) -> Result<Vec<Message>, InternalError> {
    catch_internal_errors(|| match source {
        Ok(text) => lint_text(&text, path, display_name, options),
        Err(error) => vec![io_error_message(display_name, &error.to_string())],
    })
}

/// Lints `text` as the contents of `path` (whose extension decides `.py` or `.pyi`).
pub fn lint_text(
    text: &str,
    path: &Path,
    display_name: &str,
    options: LintOptions,
) -> Vec<Message> {
    if is_notebook(path) {
        return notebook::lint_notebook(text, path, display_name, options);
    }
    // One line index for the suppressions and the messages, built only if either needs it.
    let index = OnceCell::new();
    let diagnostics = check_text_indexed(
        text,
        path,
        options.rules,
        options.target_version,
        options.project,
        &index,
    );
    resolve_messages_indexed(diagnostics, text, display_name, options, &index)
}

fn is_notebook(path: &Path) -> bool {
    FileKind::of(path) == Some(FileKind::Notebook)
}

/// A source after `--fix`.
#[derive(Debug)]
pub struct FixedSource {
    /// The fixed text (the original when no fix applied or the fixes did not settle).
    pub text: String,
    /// The findings left in the fixed text.
    pub remaining: Vec<Message>,
    /// The findings of the original text that no allowed fix removes, located in the original
    /// text: what `--diff` reports beside the diff.
    pub unfixable: Vec<Message>,
    /// The other findings of the original text, those the fixes removed: with `unfixable`,
    /// what a lint of the original reports, for a fixed text that cannot be written.
    pub fixed_away: Vec<Message>,
    /// How many fixes each rule applied.
    pub applied: BTreeMap<&'static str, usize>,
    /// The rules whose fixes were refused because the result did not parse, once per fix.
    pub refused: Vec<&'static str>,
    /// The rules whose fixes never settled (the text is then the original).
    pub unsettled: Vec<&'static str>,
}

/// Applies the fixes `mode` allows to `text`, linting it again after each pass until nothing
/// changes; a panic is an [`InternalError`].
pub fn fix_text(
    text: &str,
    path: &Path,
    display_name: &str,
    options: LintOptions,
    mode: FixMode,
) -> Result<FixedSource, InternalError> {
    catch_internal_errors(|| {
        if is_notebook(path) {
            return notebook::fix_notebook(text, path, display_name, options, mode);
        }
        let outcome = fix_until_settled(text, mode, |source| {
            check_text(
                source,
                path,
                options.rules,
                options.target_version,
                options.project,
            )
        });
        FixedSource {
            remaining: resolve_messages(outcome.remaining, &outcome.text, display_name, options),
            unfixable: resolve_messages(outcome.unfixable, text, display_name, options),
            fixed_away: resolve_messages(outcome.fixed_away, text, display_name, options),
            text: outcome.text,
            applied: outcome.applied,
            refused: outcome.refused,
            unsettled: outcome.unsettled,
        }
    })
}

/// Replaces the rules' severities with the configured ones.
fn apply_severities(diagnostics: &mut [Diagnostic], severities: &[(&'static str, Severity)]) {
    for diagnostic in diagnostics {
        if let Some((_, severity)) = severities.iter().find(|(code, _)| *code == diagnostic.code) {
            diagnostic.severity = *severity;
        }
    }
}

/// Resolves diagnostics into report messages, with the configured severities.
fn resolve_messages(
    diagnostics: Vec<Diagnostic>,
    text: &str,
    display_name: &str,
    options: LintOptions,
) -> Vec<Message> {
    resolve_messages_indexed(diagnostics, text, display_name, options, &OnceCell::new())
}

fn resolve_messages_indexed(
    mut diagnostics: Vec<Diagnostic>,
    text: &str,
    display_name: &str,
    options: LintOptions,
    index: &OnceCell<LineIndex>,
) -> Vec<Message> {
    if diagnostics.is_empty() {
        return Vec::new(); // most files: no line index to build
    }
    apply_severities(&mut diagnostics, options.severities);
    let view = SourceView {
        name: display_name,
        text,
        index: index.get_or_init(|| LineIndex::from_source_text(text)),
    };
    diagnostics
        .iter()
        .map(|diagnostic| Message::resolve(diagnostic, &view))
        .collect()
}

/// The diagnostics for `text`, unsuppressed ones only, in source order.
pub fn check_text(
    text: &str,
    path: &Path,
    rules: &RuleSet,
    target_version: PythonVersion,
    project: Option<ProjectContext>,
) -> Vec<Diagnostic> {
    check_text_indexed(text, path, rules, target_version, project, &OnceCell::new())
}

/// [`check_text`], with the text's line index built at most once, into `index`.
fn check_text_indexed(
    text: &str,
    path: &Path,
    rules: &RuleSet,
    target_version: PythonVersion,
    project: Option<ProjectContext>,
    index: &OnceCell<LineIndex>,
) -> Vec<Diagnostic> {
    // Debug builds can be told to panic on a file, so that tests can prove a panic is
    // reported for that file and the run goes on.
    #[cfg(debug_assertions)]
    if std::env::var("EDGELINT_DEBUG_PANIC_ON").is_ok_and(|marker| text.contains(&marker)) {
        panic!("EDGELINT_DEBUG_PANIC_ON: this file asked for a panic");
    }
    edgelint_source::with_parsed(text, path, |parsed| {
        check_parsed(parsed, text, path, rules, target_version, project, index)
    })
}

/// [`check_text_indexed`] of the tree parsed from `text`.
fn check_parsed(
    parsed: &ParsedSource,
    text: &str,
    path: &Path,
    rules: &RuleSet,
    target_version: PythonVersion,
    project: Option<ProjectContext>,
    index: &OnceCell<LineIndex>,
) -> Vec<Diagnostic> {
    let mut diagnostics: Vec<Diagnostic> = parsed
        .errors()
        .iter()
        .map(|error| {
            let mut diagnostic = engine_diagnostic(
                &engine::SYNTAX_ERROR,
                format!("syntax error: {}", error.error),
                error.location,
            );
            diagnostic.notes.push(
                "edgelint still checks the parts of the file the parser could recover".to_string(),
            );
            diagnostic
        })
        .collect();
    // A stub (`.pyi`) only describes types: none of its code runs, so it allocates nothing to
    // report, whatever is asked. Its syntax errors are still reported.
    if FileKind::of(path) == Some(FileKind::Stub) {
        return in_source_order(diagnostics);
    }
    // With EL003 the comments are read first: it needs the unproven findings that a `noqa`
    // comment naming an edgelint code covers, and only then are they built without
    // `--pedantic` (most `noqa` comments name other tools' codes: `# noqa: E501`).
    let report_unused = rules.contains(engine::UNUSED_NOQA.code);
    let suppressions = report_unused.then(|| Suppressions::from_tokens(parsed.tokens(), text));
    let keep_unproven = rules.keeps_unproven()
        || suppressions
            .as_ref()
            .is_some_and(Suppressions::names_our_codes);
    // In a project, the file's role is told from its path within its repository.
    let role_path = project.as_ref().map_or(path, |project| project.path);
    let role = FileRole::of(role_path);
    if role.test && !keep_unproven {
        // Every finding in test code is unproven (see `check_module`): none would be shown, so
        // neither the model nor the rules are needed. The summary of a helper beside the tests
        // is made alone if some module asks for it.
        return in_source_order(diagnostics);
    }

    let semantic = match SemanticModel::of_parsed(parsed, text, project) {
        Ok(semantic) => semantic,
        Err(range) => {
            // The semantic model and the rules walk the tree recursively: past this depth they
            // could exhaust the stack, so the file is reported instead of checked.
            diagnostics.push(too_deep(range));
            return in_source_order(diagnostics);
        }
    };
    if let Some(project) = project {
        // A module of tests is seldom imported (on the benchmark's real tree 4 were asked
        // for): its summary is made alone when asked for, not for every test module
        // checked. The helpers beside tests are imported by them (`testing/utils.py`: 26
        // asked for) and offer theirs. And a test that empties a cache between cases does
        // not bound it in production.
        if !role.test_module {
            project.project.offer(&semantic, text, index);
        }
        if !role.test {
            // Replaced, not added to: `--fix` checks the text again after each pass.
            let shrunk = semantic.shrunk_in_other_modules();
            let handed_out = semantic.attributes_handed_out().to_vec();
            let mut trace = project.trace.borrow_mut();
            trace.shrunk = shrunk;
            trace.handed_out = handed_out;
        }
    }
    let mut findings = check_module(
        parsed.syntax(),
        role,
        text,
        &semantic,
        rules,
        target_version,
        keep_unproven,
    );
    for finding in &mut findings {
        if finding.unproven.is_none() && rules.is_pedantic_rule(finding.code) {
            finding.unproven = Some(format!(
                "{} is a pedantic rule: on real code most of its findings were true but not \
                 worth a change",
                finding.code
            ));
        }
    }
    if !findings.is_empty() || report_unused {
        // Built only for a file with findings or `noqa` comments.
        let suppressions =
            suppressions.unwrap_or_else(|| Suppressions::from_tokens(parsed.tokens(), text));
        let mut suppressed = Vec::new();
        for finding in findings {
            if suppressions.suppresses(&finding, text) {
                suppressed.push((noqa::line_start(text, finding.range.start()), finding.code));
            } else {
                diagnostics.push(finding);
            }
        }
        // Before EL003's, whose fixes edit comments on purpose.
        fix::demote_fixes_that_drop_comments(&mut diagnostics, parsed.tokens(), text);
        if report_unused {
            diagnostics.extend(unused_noqa(&suppressions, &suppressed, rules, text));
        }
    }
    // After the `noqa` comments are matched: one that covers an unproven finding is used,
    // shown or not.
    if !rules.keeps_unproven() {
        diagnostics.retain(|diagnostic| diagnostic.unproven.is_none());
    }
    in_source_order(diagnostics)
}

fn in_source_order(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics.sort_by_key(|diagnostic| (diagnostic.range.start(), diagnostic.code));
    diagnostics
}

/// EL002 for a file nested more deeply than edgelint checks, at the first node too deep.
fn too_deep(range: TextRange) -> Diagnostic {
    let mut diagnostic = engine_diagnostic(
        &engine::IO_ERROR,
        format!(
            "cannot lint this file: code nested more than {} levels deep",
            edgelint_source::MAX_NESTING
        ),
        range,
    );
    diagnostic.label = "nested too deeply to check".to_string();
    diagnostic.notes.push(
        "edgelint checks no deeper, so that checking cannot exhaust its stack; CPython 3.11 \
         refuses to compile code nested about 3000 expressions deep"
            .to_string(),
    );
    diagnostic.help = Some("split the expression or statement into smaller ones".to_string());
    diagnostic
}

/// EL003: the codes of `# noqa: CODES` comments that suppressed nothing although their rule
/// ran, and codes that name no edgelint rule.
fn unused_noqa(
    suppressions: &Suppressions,
    suppressed: &[(TextSize, &str)],
    rules: &RuleSet,
    text: &str,
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for directive in suppressions.directives() {
        let mut unused = Vec::new();
        let mut unknown = Vec::new();
        for code in directive.our_codes() {
            match find_rule(code) {
                None => unknown.push(code.as_str()),
                Some(rule)
                    if rules.contains(rule.code)
                        && !suppressed.contains(&(directive.line, rule.code)) =>
                {
                    unused.push(code.as_str());
                }
                Some(_) => {}
            }
        }
        let message = match (unused.as_slice(), unknown.as_slice()) {
            ([], []) => continue,
            (unused, []) => format!(
                "`# noqa` names {}, which reported nothing on this line",
                unused.join(", ")
            ),
            ([], unknown) => format!("`# noqa` names {}, which is no edgelint rule", unknown.join(", ")),
            (unused, unknown) => format!(
                "`# noqa` names {}, which reported nothing on this line, and {}, which is no edgelint rule",
                unused.join(", "),
                unknown.join(", ")
            ),
        };
        let mut diagnostic = engine_diagnostic(&engine::UNUSED_NOQA, message, directive.range);
        diagnostic.label = "suppresses nothing".to_string();
        diagnostic.help =
            Some("remove the code, or the whole comment if nothing else is in it".to_string());
        let stale: Vec<&str> = unused.iter().chain(&unknown).copied().collect();
        diagnostic.fix = remove_codes_fix(text, directive.range, &stale);
        diagnostics.push(diagnostic);
    }
    diagnostics
}

/// Removes `stale` codes from the comment at `range`, or the whole comment (with the spaces
/// before it) when nothing else is left in it. Safe: the codes suppress nothing.
fn remove_codes_fix(text: &str, range: TextRange, stale: &[&str]) -> Option<Fix> {
    let comment = &text[range];
    let new_comment = noqa::without_codes(comment, stale)?;
    let edit = if new_comment.is_empty() {
        let before = text[..usize::from(range.start())].trim_end_matches([' ', '\t']);
        let start = TextSize::try_from(before.len()).ok()?;
        Edit::deletion(TextRange::new(start, range.end()))
    } else {
        Edit::replacement(range, new_comment)
    };
    Some(Fix {
        applicability: Applicability::Safe,
        edits: vec![edit],
    })
}

/// What the modules of a run let go of, which decides the findings that hold only unless some
/// module does: the objects some module shrinks (see
/// [`edgelint_semantic::SemanticModel::shrunk_in_other_modules`]), by the name reports give
/// their file and their dotted name there, and the attributes some module hands on (see
/// [`edgelint_semantic::SemanticModel::attributes_handed_out`]). Known only once every file of
/// the run is checked.
#[derive(Debug, Default)]
pub struct ReleasedInRun {
    shrunk: HashMap<String, HashSet<String>>,
    handed_out: HashSet<String>,
}

impl ReleasedInRun {
    pub fn add_shrunk(&mut self, file: String, name: String) {
        self.shrunk.entry(file).or_default().insert(name);
    }

    pub fn add_handed_out(&mut self, attributes: &[String]) {
        self.handed_out.extend(attributes.iter().cloned());
    }

    /// Drops the findings that held only unless some module shrinks their object or hands on
    /// their attribute.
    pub fn drop_findings(&self, messages: &mut Vec<Message>) {
        messages.retain(|message| {
            let shrunk = message
                .unless_shrunk_elsewhere
                .as_ref()
                .is_some_and(|name| {
                    self.shrunk
                        .get(&message.filename)
                        .is_some_and(|names| names.contains(name))
                });
            let handed_out = message
                .unless_handed_out_elsewhere
                .iter()
                .any(|attribute| self.handed_out.contains(attribute));
            !shrunk && !handed_out
        });
    }
}

/// The message for a path that could not be read (or does not exist), at its first line.
pub fn io_error_message(display_name: &str, reason: &str) -> Message {
    let diagnostic = engine_diagnostic(
        &engine::IO_ERROR,
        format!("cannot lint this file: {reason}"),
        TextRange::default(),
    );
    Message::without_source(&diagnostic, display_name)
}

fn engine_diagnostic(rule: &'static Rule, message: String, range: TextRange) -> Diagnostic {
    Diagnostic::new(rule.code, rule.name, rule.severity, message, range)
}

thread_local! {
    /// Set while a file is being checked under [`catch_internal_errors`], which reports the
    /// panic itself; holds where the panic happened once it has.
    static CHECKING: std::cell::RefCell<Option<Option<String>>> = const { std::cell::RefCell::new(None) };
}

/// Makes panics inside a file's check quiet (they become that file's [`InternalError`], which
/// names the place); a panic anywhere else is printed as usual. Call once, from `main`.
pub fn install_panic_hook() {
    let default = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        let checking = CHECKING.with(|checking| {
            let mut checking = checking.borrow_mut();
            let slot = checking.as_mut()?;
            *slot = info.location().map(|location| location.to_string());
            Some(())
        });
        if checking.is_none() {
            default(info);
        }
    }));
}

fn catch_internal_errors<T>(work: impl FnOnce() -> T) -> Result<T, InternalError> {
    CHECKING.with(|checking| *checking.borrow_mut() = Some(None));
    let result = panic::catch_unwind(AssertUnwindSafe(work));
    let location = CHECKING.with(|checking| checking.borrow_mut().take().flatten());
    result.map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|text| (*text).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        let message = match location {
            Some(location) => format!("{message} (at {location})"),
            None => message,
        };
        InternalError { message }
    })
}
