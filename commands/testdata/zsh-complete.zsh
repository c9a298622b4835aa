# Drives zsh completion for TestZshCompletion, as a user would meet it.
# usage: zsh -f zsh-complete.zsh COMPLETION_SCRIPT LINE OUTFILE
# Types LINE and a TAB into an interactive zsh on a pseudo-terminal, with
# compinit and the completion script loaded, and writes each match the
# completion adds to OUTFILE, one a line; OUTFILE.done once it is over.
zmodload zsh/zpty || exit 3
script=$1 line=$2 out=$3
zpty z zsh -f -i || exit 3
prompt() { zpty -r z junk '*<P>*' }   # the prompt: the last command is done
zpty -w z "PROMPT='<''P>' RPROMPT=''; bindkey -e"
prompt
# compinit keeps its dump in $HOME (.zcompdump), as a user's does: the
# test's own folder, shared by the test's calls, so that it reads the
# 1,200-odd files of zsh's fpath once per test (about 2 s) rather than
# once per call (-D).
zpty -w z 'autoload -U compinit && compinit -u'
prompt
zpty -w z "source ${(q)script}"
prompt
# Record what each compadd adds (after matching the word typed so far).
zpty -w z "compadd () { local -a hits; builtin compadd -O hits \"\$@\"; print -r -l -- \$hits >> ${(q)out}; builtin compadd \"\$@\" }"
prompt
# TAB completes as usual, then says it is done.
zpty -w z "_tab () { zle complete-word; : > ${(q)out}.done }; zle -N _tab; bindkey '^I' _tab"
prompt
zpty -n -w z "$line"$'\t'
for i in {1..400}; do
  [[ -e $out.done ]] && break
  zpty -r -t z junk
  sleep 0.05
done
zpty -d z
[[ -e $out.done ]] || exit 4
