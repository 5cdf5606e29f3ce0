# fish completion for chatcat(1).
#
# Options may come before or after the subcommand.  Values such as URLs,
# tokens, seconds and UUIDs are free text, so nothing is offered for them.
# Keep the list in step with "chatcat --help"; tests/options-sync.sh checks
# that they agree.

# Succeed if the command line has no subcommand yet.  Option arguments are
# skipped; after "--" the next word is the subcommand.
function __chatcat_needs_command
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l skip 0
    set -l ended 0
    for t in $tokens
        if test $skip -eq 1
            set skip 0
            continue
        end
        if test $ended -eq 1
            return 1
        end
        switch $t
            case -u -H -W --url --token --token-file --api-key \
                    --api-key-file --header --origin --user-agent \
                    --cacert --capath --cert --cert-key --proxy --noproxy \
                    --connect-timeout --timeout --idle --max-frame --jq \
                    --thread --agent \
                    --jq-file --indent --until --count --listen --db \
                    --auth-file --agent-cmd --agent-timeout --ping-interval \
                    --ping-timeout --events --events-fd --sync
                set skip 1
            case --
                set ended 1
            case '-*'
            case '*'
                return 1
        end
    end
    return 0
end

# No file names unless an option reads a file.
complete -c chatcat -f

complete -c chatcat -n __chatcat_needs_command -a send \
    -d 'Send a message to a thread and print the reply'
complete -c chatcat -n __chatcat_needs_command -a history \
    -d 'Print the stored messages of a thread as NDJSON'
complete -c chatcat -n __chatcat_needs_command -a pipe \
    -d 'Send the requests read on stdin and print the frames'
complete -c chatcat -n __chatcat_needs_command -a serve \
    -d 'Run the reference Chat API server'

complete -c chatcat -s u -l url -x \
    -d 'Server URL (default ws://127.0.0.1:8765/chat/ws)'
complete -c chatcat -l token -x -d 'Bearer token, sent as ?token='
complete -c chatcat -l token-file -r -F -d 'Read the bearer token from FILE'
complete -c chatcat -l api-key -x -d 'API key, sent as ?key='
complete -c chatcat -l api-key-file -r -F -d 'Read the API key from FILE'
complete -c chatcat -s H -l header -x \
    -d "Extra header 'NAME: VALUE' in the upgrade request"
complete -c chatcat -l origin -x -d 'Origin header in the upgrade request'
complete -c chatcat -l user-agent -x \
    -d "User-Agent header instead of chatcat's (empty: none)"
complete -c chatcat -l cacert -r -F \
    -d 'CA certificates (PEM) to verify a wss:// server'
complete -c chatcat -l capath -x -a '(__fish_complete_directories)' \
    -d 'Hashed directory of CA certificates (openssl rehash)'
complete -c chatcat -l cert -r -F \
    -d 'Client certificate (PEM); may hold the chain and the key'
complete -c chatcat -l cert-key -r -F \
    -d 'Private key (PEM) of the client certificate'
complete -c chatcat -s k -l insecure -d 'Do not verify the server certificate'
complete -c chatcat -l proxy -x \
    -d "HTTP proxy http://[USER:PASS@]HOST[:PORT] ('' for none)"
complete -c chatcat -l noproxy -x \
    -d 'Hosts reached without a proxy (overrides no_proxy)'
complete -c chatcat -l connect-timeout -x \
    -d 'TCP, TLS and upgrade deadline in seconds (default 10)'
complete -c chatcat -s W -l timeout -x \
    -d 'Whole-run deadline in seconds (default 300 send, 60 history; 0 disables)'
complete -c chatcat -l idle -x \
    -d 'Last resort: seconds of silence that end a reply (exit 20; default none)'
complete -c chatcat -l fence \
    -d 'A fence after every request, even when not needed'
complete -c chatcat -l no-fence \
    -d 'Never send a fence frame'
complete -c chatcat -l max-frame -x \
    -d 'Largest message accepted, in bytes (default 16777216)'
complete -c chatcat -l jq -x -d 'jq filter applied to each frame'
complete -c chatcat -s r -l raw-output \
    -d 'With --jq, write strings without quotes'
complete -c chatcat -s e -l exit-status \
    -d 'With --jq, exit 4 if no output or last output false or null'
complete -c chatcat -l jq-file -r -F -d 'Read the jq filter from FILE'
complete -c chatcat -s j -l join-output \
    -d 'With --jq, raw strings and no newlines'
complete -c chatcat -s a -l ascii-output \
    -d 'With --jq, escape non-ASCII characters'
complete -c chatcat -s S -l sort-keys -d 'With --jq, sort object keys'
complete -c chatcat -s C -l color-output \
    -d 'With --jq, colour even when not a terminal'
complete -c chatcat -s M -l monochrome-output -d 'With --jq, no colour'
complete -c chatcat -l tab -d 'With --jq, indent with tabs'
complete -c chatcat -l indent -x -d 'With --jq, indent with N spaces (0-7)'
complete -c chatcat -l arg -x -d '--arg NAME VALUE: $NAME is a string'
complete -c chatcat -l argjson -x -d '--argjson NAME JSON: $NAME is a value'
complete -c chatcat -l slurpfile -r \
    -d "--slurpfile NAME FILE: \$NAME is FILE's JSON values"
complete -c chatcat -l rawfile -r -d "--rawfile NAME FILE: \$NAME is FILE's text"
complete -c chatcat -l until -x \
    -d 'Stop after the first frame for which EXPR is true'
complete -c chatcat -l count -x -d 'Stop after N output values'
complete -c chatcat -l buffered -d 'Batch writes to stdout'
complete -c chatcat -s R -l raw-input -d 'pipe: each stdin line is a message'
complete -c chatcat -l strict -d 'pipe: stop at the first bad input value'
complete -c chatcat -l follow -d 'pipe: keep printing frames after the replies'
complete -c chatcat -l reconnect \
    -d 'pipe: reconnect after a drop (=N failed tries, 0 forever)'
complete -c chatcat -l events -r -F \
    -d 'Write lifecycle events to FILE as JSON lines'
complete -c chatcat -l events-fd -x \
    -d 'Write lifecycle events to file descriptor N'
complete -c chatcat -l backfill \
    -d 'pipe: after a reconnect, finish cut replies from history'
complete -c chatcat -l listen -x \
    -d 'serve: listen on [ADDR:]PORT (default 127.0.0.1:8765)'
complete -c chatcat -l db -r -F -d 'serve: SQLite database'
complete -c chatcat -l auth-file -r -F -d 'serve: token and key lines'
complete -c chatcat -l agent-cmd -x -a '(__fish_complete_command)' \
    -d 'serve: command run for each message'
complete -c chatcat -l agent-timeout -x \
    -d 'serve: agent deadline in seconds (default 300)'
complete -c chatcat -l sync -x -a 'normal full' \
    -d 'serve: normal (survive a crash) or full (and a power loss)'
complete -c chatcat -l ping-interval -x \
    -d 'Send a ping every SECS (default 20; 0 none)'
complete -c chatcat -l ping-timeout -x \
    -d 'No pong within SECS: the connection is lost (default 10)'
complete -c chatcat -l thread -x -d 'Thread id (UUID)'
complete -c chatcat -l agent -x -d 'Agent id for send (UUID)'
complete -c chatcat -s v -l verbose -d 'More messages on stderr (repeatable)'
complete -c chatcat -s q -l quiet -d 'No notices on stderr'
complete -c chatcat -s h -l help -d 'Print help and exit'
complete -c chatcat -s V -l version -d 'Print the version and exit'
