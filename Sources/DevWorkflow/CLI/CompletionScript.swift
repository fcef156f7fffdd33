/// Shell completion for workflowctl, written from the command table: nouns, verbs, each command's
/// options and what its values and arguments may be. What only the database knows (request ids,
/// the transitions allowed now, vendor and system keys, logins, states) the script asks for with
/// `workflowctl __complete KIND`, which answers quietly with what the login may see (and nothing
/// at all when it cannot reach the database), passing on the line's `--database` and `--as`.
enum CompletionScript {
    /// A value's completion as the scripts' tables write it: `flag`, `none`, `files`, `dirs`,
    /// `choices:a b`, `live:requests`.
    static func spec(_ completion: ValueCompletion) -> String {
        switch completion {
        case .none: return "none"
        case let .choices(words): return "choices:" + words.joined(separator: " ")
        case .files: return "files"
        case .directories: return "dirs"
        case let .live(kind): return "live:" + kind.rawValue
        }
    }

    static func spec(_ option: OptionSpec) -> String { option.value == nil ? "flag" : spec(option.completion) }

    static var commands: [Command] { WorkflowCtl.visibleCommands }

    static var nouns: [String] {
        var seen: [String] = []
        for command in commands where !seen.contains(command.noun) { seen.append(command.noun) }
        return seen
    }

    /// The shell functions every script shares (POSIX `case`, read alike by bash and zsh):
    /// `_workflowctl_verbs NOUN`, `_workflowctl_options "NOUN VERB"`, `_workflowctl_option "NOUN VERB" --OPTION`
    /// (the value's spec) and `_workflowctl_argument "NOUN VERB" INDEX` (the argument's spec).
    static var tables: String {
        var text = "_workflowctl_nouns() {\n    echo '\(nouns.joined(separator: " "))'\n}\n\n"
        text += "# Commands of one word, with no verb.\n_workflowctl_single() {\n    echo '\(commands.filter { $0.verb.isEmpty }.map(\.noun).joined(separator: " "))'\n}\n\n"
        text += "_workflowctl_verbs() {\n    case $1 in\n"
        for noun in nouns {
            text += "        \(noun)) echo '\(commands.filter { $0.noun == noun }.map(\.verb).joined(separator: " "))' ;;\n"
        }
        text += "    esac\n}\n\n"
        text += "_workflowctl_options() {\n    case $1 in\n"
        for command in commands where !command.options.isEmpty {
            text += "        '\(command.name)') echo '\(command.options.map { "--" + $0.name }.joined(separator: " "))' ;;\n"
        }
        text += "    esac\n}\n\n"
        text += "_workflowctl_globals() {\n    echo '\(GlobalOptions.declared.map { "--" + $0.name }.joined(separator: " "))'\n}\n\n"
        text += "_workflowctl_option() {\n    case \"$1 $2\" in\n"
        for command in commands {
            for option in command.options { text += "        '\(command.name) --\(option.name)') echo '\(spec(option))' ;;\n" }
        }
        for option in GlobalOptions.declared { text += "        *' --\(option.name)') echo '\(spec(option))' ;;\n" }
        text += "    esac\n}\n\n"
        text += "_workflowctl_argument() {\n    case \"$1 $2\" in\n"
        for command in commands where !command.complete.isEmpty {
            for (index, completion) in command.complete.enumerated() {
                let last = index == command.complete.count - 1
                text += "        '\(command.name) \(last ? "'*" : "\(index)'")) echo '\(spec(completion))' ;;\n"
            }
        }
        text += "    esac\n}\n"
        return text
    }

    /// The walk over the words before the cursor, shared by bash and zsh: sets `noun`, `verb`,
    /// `args` (the positional arguments so far) and `_workflowctl_db` (`--database`/`--as` to pass on).
    /// `$1` is the index of the first word after the program, `$2` the index of the cursor's word.
    static var walk: String {
        """
        _workflowctl_walk() {
            local i=$1 w skip='' kind
            noun='' verb='' args=() _workflowctl_db=()
            while (( i < $2 )); do
                w=${words[i]}
                i=$((i + 1))
                if [[ -n $skip ]]; then skip=''; continue; fi
                case $w in
                    --database|--as) _workflowctl_db+=("$w" "${words[i]}") ;;
                    --database=*|--as=*) _workflowctl_db+=("$w"); continue ;;
                esac
                if [[ $w == -* ]]; then
                    kind=$(_workflowctl_option "$noun${verb:+ $verb}" "${w%%=*}")
                    [[ -n $kind && $kind != flag && $w != *=* ]] && skip=1
                    continue
                fi
                if [[ -z $noun ]]; then
                    noun=$w
                    [[ " $(_workflowctl_single) " == *" $noun "* ]] && verb='-'
                elif [[ -z $verb ]]; then
                    verb=$w
                else
                    args+=("$w")
                fi
            done
            [[ $verb == - ]] && verb=''
            return 0
        }
        """
    }

    /// `workflowctl completion bash`: `source <(workflowctl completion bash)`, or save it as
    /// ~/.local/share/bash-completion/completions/workflowctl.
    static func bash() -> String {
        """
        # bash completion for workflowctl (generated by `workflowctl completion bash` from its command table)

        """ + tables + "\n" + walk.replacingOccurrences(of: "${words[i]}", with: "${COMP_WORDS[i]}") + """


        # What a spec offers for the word being completed ($2); $3 is the first argument (a request id).
        _workflowctl_offer() {
            local IFS=$'\\n'
            case $1 in
                files) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$2")) ;;
                dirs) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- "$2")) ;;
                choices:*) local choices=${1#choices:}; COMPREPLY=($(compgen -W "${choices// /$'\\n'}" -- "$2")) ;;
                live:transitions) COMPREPLY=($(compgen -W "$("${COMP_WORDS[0]}" __complete transitions "$3" "${_workflowctl_db[@]}" 2>/dev/null)" -- "$2")) ;;
                live:*) COMPREPLY=($(compgen -W "$("${COMP_WORDS[0]}" __complete "${1#live:}" "${_workflowctl_db[@]}" 2>/dev/null)" -- "$2")) ;;
                *) COMPREPLY=() ;;
            esac
        }

        _workflowctl() {
            local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} noun verb kind
            local -a args _workflowctl_db
            COMPREPLY=()
            _workflowctl_walk 1 "$COMP_CWORD"
            local command="$noun${verb:+ $verb}"
            if (( COMP_CWORD > 1 )) && [[ $prev == -* ]]; then
                kind=$(_workflowctl_option "$command" "$prev")
                if [[ -n $kind && $kind != flag ]]; then _workflowctl_offer "$kind" "$cur" "${args[0]}"; return 0; fi
            fi
            if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "$(_workflowctl_options "$command") $(_workflowctl_globals)" -- "$cur"))
            elif [[ -z $noun ]]; then
                COMPREPLY=($(compgen -W "$(_workflowctl_nouns)" -- "$cur"))
            elif [[ -z $verb && " $(_workflowctl_single) " != *" $noun "* ]]; then
                COMPREPLY=($(compgen -W "$(_workflowctl_verbs "$noun")" -- "$cur"))
            else
                _workflowctl_offer "$(_workflowctl_argument "$command" "${#args[@]}")" "$cur" "${args[0]}"
            fi
            return 0
        }

        complete -F _workflowctl workflowctl

        """
    }

    /// `workflowctl completion zsh`: save it as `_workflowctl` in a folder of `$fpath`, or
    /// `source <(workflowctl completion zsh)` after `compinit`.
    static func zsh() -> String {
        """
        #compdef workflowctl
        # zsh completion for workflowctl (generated by `workflowctl completion zsh` from its command table)

        """ + tables + "\n" + walk + """


        _workflowctl_offer() {
            local -a found
            case $1 in
                files) _files ;;
                dirs) _files -/ ;;
                choices:*) compadd -- ${=${1#choices:}} ;;
                live:transitions) found=(${(f)"$(${words[1]} __complete transitions "$2" "${_workflowctl_db[@]}" 2>/dev/null)"}); compadd -a found ;;
                live:*) found=(${(f)"$(${words[1]} __complete "${1#live:}" "${_workflowctl_db[@]}" 2>/dev/null)"}); compadd -a found ;;
            esac
        }

        _workflowctl() {
            local noun verb kind command
            local -a args _workflowctl_db
            _workflowctl_walk 2 "$CURRENT"
            command="$noun${verb:+ $verb}"
            if (( CURRENT > 2 )) && [[ ${words[CURRENT-1]} == -* ]]; then
                kind=$(_workflowctl_option "$command" "${words[CURRENT-1]}")
                if [[ -n $kind && $kind != flag ]]; then _workflowctl_offer "$kind" "${args[1]}"; return; fi
            fi
            if [[ ${words[CURRENT]} == -* ]]; then
                compadd -- ${=$(_workflowctl_options "$command")} ${=$(_workflowctl_globals)}
            elif [[ -z $noun ]]; then
                compadd -- ${=$(_workflowctl_nouns)}
            elif [[ -z $verb && " $(_workflowctl_single) " != *" $noun "* ]]; then
                compadd -- ${=$(_workflowctl_verbs "$noun")}
            else
                _workflowctl_offer "$(_workflowctl_argument "$command" "$(( ${#args} ))")" "${args[1]}"
            fi
        }

        if [[ $funcstack[1] == _workflowctl ]]; then
            _workflowctl "$@"
        else
            compdef _workflowctl workflowctl
        fi

        """
    }

    /// `workflowctl completion fish`: save it as ~/.config/fish/completions/workflowctl.fish.
    static func fish() -> String {
        var text = """
        # fish completion for workflowctl (generated by `workflowctl completion fish` from its command table)

        # The noun, the verb and how many arguments stand before the cursor: "NOUN VERB COUNT".
        function __workflowctl_state
            set -l words (commandline -opc)
            set -e words[1]
            set -l noun ''
            set -l verb ''
            set -l count 0
            set -l skip 0
            for w in $words
                if test $skip = 1
                    set skip 0
                    continue
                end
                if string match -q -- '-*' $w
                    if contains -- (string split -m1 = -- $w)[1] $__workflowctl_value_options; and not string match -q -- '*=*' $w
                        set skip 1
                    end
                    continue
                end
                if test -z "$noun"
                    set noun $w
                else if test -z "$verb"; and not contains -- $noun $__workflowctl_single
                    set verb $w
                else
                    set count (math $count + 1)
                end
            end
            echo "$noun|$verb|$count"
        end

        function __workflowctl_at -a command index
            set -l state (string split '|' (__workflowctl_state))
            set -l here (string trim -- "$state[1] $state[2]")
            test "$here" = "$command"; or return 1
            test -z "$index"; and return 0
            test "$state[3]" = "$index"; and return 0
            string match -q -- '*+' $index; and test "$state[3]" -ge (string trim -c + -- $index)
        end

        function __workflowctl_live -a kind
            set -l words (commandline -opc)
            set -l pass
            for i in (seq (count $words))
                switch $words[$i]
                    case --database --as
                        set -a pass $words[$i] $words[(math $i + 1)]
                    case '--database=*' '--as=*'
                        set -a pass $words[$i]
                end
            end
            if test $kind = transitions
                set -l state (string split '|' (__workflowctl_state))
                set -l id (commandline -opc)[-1]
                $words[1] __complete transitions $id $pass 2>/dev/null
            else
                $words[1] __complete $kind $pass 2>/dev/null
            end
        end

        complete -c workflowctl -f

        """
        let single = commands.filter { $0.verb.isEmpty }.map(\.noun)
        let valueOptions = Set((commands.flatMap(\.options) + GlobalOptions.declared).filter { $0.value != nil }.map { "--" + $0.name })
        text += "set -g __workflowctl_single \(single.joined(separator: " "))\n"
        text += "set -g __workflowctl_value_options \(valueOptions.sorted().joined(separator: " "))\n\n"
        text += "complete -c workflowctl -n 'test -z (string split \"|\" (__workflowctl_state))[1]' -a '\(nouns.joined(separator: " "))'\n"
        for noun in nouns where !single.contains(noun) {
            let verbs = commands.filter { $0.noun == noun }.map(\.verb).joined(separator: " ")
            text += "complete -c workflowctl -n '__workflowctl_at \(noun)' -a '\(verbs)'\n"
        }
        func values(_ completion: ValueCompletion) -> String {
            switch completion {
            case .none: return "-x"
            case let .choices(words): return "-x -a '\(words.joined(separator: " "))'"
            case .files: return "-r -F"
            case .directories: return "-x -a '(__fish_complete_directories)'"
            case let .live(kind): return "-x -a '(__workflowctl_live \(kind.rawValue))'"
            }
        }
        for option in GlobalOptions.declared {
            text += "complete -c workflowctl -l \(option.name)\(option.value == nil ? "" : " " + values(option.completion))\n"
        }
        for command in commands {
            for option in command.options {
                text += "complete -c workflowctl -n '__workflowctl_at \"\(command.name)\"' -l \(option.name)"
                    + (option.value == nil ? "" : " " + values(option.completion)) + "\n"
            }
            for (index, completion) in command.complete.enumerated() where completion != .none {
                let at = index == command.complete.count - 1 && index > 0 ? "\(index)+" : "\(index)"
                text += "complete -c workflowctl -n '__workflowctl_at \"\(command.name)\" \(at)' \(values(completion))\n"
            }
        }
        return text
    }
}
