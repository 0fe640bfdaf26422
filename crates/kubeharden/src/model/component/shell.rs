//! Components started from a shell script (`sh -c "exec kube-apiserver …"`): the script's
//! commands split into words as a POSIX shell does.

use super::{Arg, ComponentKind, basename};
use crate::source::ByteSpan;

pub(super) fn is_shell(word: &str) -> bool {
    matches!(basename(word), "sh" | "bash" | "ash" | "dash" | "zsh" | "busybox")
}

/// `sh -c "script"`: finds a component's command in the script. Arguments keep the position
/// of their text in the source when it can be found there, else the script's.
pub(super) fn from_script(argv: &[Arg], text: &str) -> Option<(ComponentKind, Vec<Arg>)> {
    let mut iter = argv.iter().skip(1);
    let mut script = None;
    // The script follows the first short-option cluster holding `c` (`-c`, `-ec`, `-xc`);
    // words before it are other options or `busybox sh`.
    for arg in iter.by_ref() {
        if arg.text.starts_with('-') && !arg.text.starts_with("--") && arg.text.contains('c') {
            script = iter.next();
            break;
        }
    }
    let script = script?;
    let raw_source = text.get(script.span.start as usize..script.span.end as usize).unwrap_or("");
    for command in shell_commands(&script.text) {
        let mut words =
            command.iter().skip_while(|(w, _)| is_assignment(w) || matches!(w.as_str(), "exec" | "nohup" | "env"));
        let Some((binary, _)) = words.next() else {
            continue;
        };
        let Some(kind) = ComponentKind::from_binary(basename(binary)).filter(|_| basename(binary) != "apiserver")
        else {
            continue;
        };
        let mut cursor = 0usize;
        let args = words
            .map(|(word, raw)| {
                let found = raw_source.get(cursor..).and_then(|rest| rest.find(raw.as_str())).map(|i| cursor + i);
                let span = match found {
                    Some(i) => {
                        cursor = i + raw.len();
                        let start = script.span.start as usize + i;
                        ByteSpan::new(start, start + raw.len())
                    }
                    None => script.span,
                };
                Arg {
                    verbatim: (found.is_some() && raw == word).then_some(span.start as usize),
                    text: word.clone(),
                    span,
                    path: script.path.clone(),
                }
            })
            .collect();
        return Some((kind, args));
    }
    None
}

fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') && !name.starts_with('-')
    })
}

/// Splits a POSIX shell script into simple commands of (word, raw text) pairs: quotes,
/// backslashes, comments and the separators `;`, `&`, `|`, `&&`, `||` and newlines. Expansions
/// are kept as written.
fn shell_commands(script: &str) -> Vec<Vec<(String, String)>> {
    let mut commands = Vec::new();
    let mut words: Vec<(String, String)> = Vec::new();
    let mut word = String::new();
    let mut raw_start: Option<usize> = None;
    let mut in_word = false;
    let mut chars = script.char_indices().peekable();
    let finish = |words: &mut Vec<(String, String)>,
                  word: &mut String,
                  raw_start: &mut Option<usize>,
                  end: usize,
                  in_word: &mut bool| {
        if *in_word {
            let raw = raw_start.and_then(|s| script.get(s..end)).unwrap_or("").to_owned();
            words.push((std::mem::take(word), raw));
        }
        *raw_start = None;
        *in_word = false;
    };
    while let Some((i, ch)) = chars.next() {
        match ch {
            '\\' => {
                if !in_word {
                    raw_start = Some(i);
                }
                match chars.next() {
                    Some((_, '\n')) => {
                        if !in_word {
                            raw_start = None;
                        }
                        continue;
                    }
                    Some((_, next)) => word.push(next),
                    None => {}
                }
                in_word = true;
            }
            '\'' | '"' => {
                if !in_word {
                    raw_start = Some(i);
                }
                in_word = true;
                while let Some((_, c)) = chars.next() {
                    if c == ch {
                        break;
                    }
                    if c == '\\' && ch == '"' {
                        match chars.peek() {
                            Some(&(_, n)) if matches!(n, '"' | '\\' | '$' | '`') => {
                                word.push(n);
                                chars.next();
                                continue;
                            }
                            Some(&(_, '\n')) => {
                                chars.next();
                                continue;
                            }
                            _ => {}
                        }
                    }
                    word.push(c);
                }
            }
            '#' if !in_word => {
                for (_, c) in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
                finish(&mut words, &mut word, &mut raw_start, i, &mut in_word);
                commands.push(std::mem::take(&mut words));
            }
            ';' | '&' | '|' | '\n' => {
                finish(&mut words, &mut word, &mut raw_start, i, &mut in_word);
                if !words.is_empty() {
                    commands.push(std::mem::take(&mut words));
                }
            }
            c if c.is_whitespace() => finish(&mut words, &mut word, &mut raw_start, i, &mut in_word),
            c => {
                if !in_word {
                    raw_start = Some(i);
                }
                in_word = true;
                word.push(c);
            }
        }
    }
    finish(&mut words, &mut word, &mut raw_start, script.len(), &mut in_word);
    if !words.is_empty() {
        commands.push(words);
    }
    commands
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(script: &str) -> Vec<Vec<String>> {
        shell_commands(script).into_iter().map(|c| c.into_iter().map(|(w, _)| w).collect()).collect()
    }

    #[test]
    fn splits_shell_scripts() {
        assert_eq!(
            words("set -e; exec kube-apiserver --a=1 \\\n  --b 'x y' \"--c=$X\" # done\necho ok"),
            vec![
                vec!["set", "-e"],
                vec!["exec", "kube-apiserver", "--a=1", "--b", "x y", "--c=$X"],
                vec![],
                vec!["echo", "ok"]
            ]
            .into_iter()
            .map(|c| c.into_iter().map(String::from).collect::<Vec<_>>())
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>()
        );
    }
}
