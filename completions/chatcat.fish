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
                    --api-key-file --header --cacert --connect-timeout \
                    --timeout --idle --max-frame --jq --thread --agent
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

complete -c chatcat -s u -l url -x \
    -d 'Server URL (default ws://127.0.0.1:8765/chat/ws)'
complete -c chatcat -l token -x -d 'Bearer token, sent as ?token='
complete -c chatcat -l token-file -r -F -d 'Read the bearer token from FILE'
complete -c chatcat -l api-key -x -d 'API key, sent as ?key='
complete -c chatcat -l api-key-file -r -F -d 'Read the API key from FILE'
complete -c chatcat -s H -l header -x \
    -d "Extra header 'NAME: VALUE' in the upgrade request"
complete -c chatcat -l cacert -r -F \
    -d 'CA certificates (PEM) to verify a wss:// server'
complete -c chatcat -s k -l insecure -d 'Do not verify the server certificate'
complete -c chatcat -l connect-timeout -x \
    -d 'TCP, TLS and upgrade deadline in seconds (default 10)'
complete -c chatcat -s W -l timeout -x \
    -d 'Whole-run deadline in seconds (default 300 send, 60 history; 0 disables)'
complete -c chatcat -l idle -x \
    -d 'Idle seconds that end a reply or history (default 3 send, 1 history)'
complete -c chatcat -l fence \
    -d 'Send a fence frame after the request; its answer ends the run'
complete -c chatcat -l max-frame -x \
    -d 'Largest message accepted, in bytes (default 16777216)'
complete -c chatcat -l jq -x -d 'jq filter applied to each frame'
complete -c chatcat -s r -l raw-output \
    -d 'With --jq, write strings without quotes'
complete -c chatcat -s e -l exit-status \
    -d 'With --jq, exit 4 if no output or last output false or null'
complete -c chatcat -l thread -x -d 'Thread id (UUID)'
complete -c chatcat -l agent -x -d 'Agent id for send (UUID)'
complete -c chatcat -s v -l verbose -d 'More messages on stderr (repeatable)'
complete -c chatcat -s q -l quiet -d 'No notices on stderr'
complete -c chatcat -s h -l help -d 'Print help and exit'
complete -c chatcat -s V -l version -d 'Print the version and exit'
