#!/bin/bash
# wss:// against the independent peer with a test CA made here by openssl:
# trusted, untrusted, wrong name, expired, -k, --capath, https:// mapped to
# wss://, client certificates (also against openssl s_server, which sends
# the TLS alerts that Python's server leaves out), and the upgrade request
# headers --origin, --user-agent and -H as the peer received them.
. "${srcdir:-.}/tests/lib.sh"
plan 40

require openssl
# key NAME: a new private key.
key() {
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
	    -out "$TMP/$1.key" 2>/dev/null
}
cert() { # name CN SAN [CA]: a key and a certificate signed by CA (ca)
	local ca=${4:-ca}
	key "$1" &&
	openssl req -new -key "$TMP/$1.key" -out "$TMP/$1.csr" -subj "/CN=$2" &&
	printf 'subjectAltName=%s\n' "$3" >"$TMP/$1.ext" &&
	openssl x509 -req -in "$TMP/$1.csr" -CA "$TMP/$ca.pem" \
	    -CAkey "$TMP/$ca.key" -CAcreateserial -out "$TMP/$1.pem" -days 2 \
	    -extfile "$TMP/$1.ext" 2>/dev/null
}
ca() { # name CN: a self-signed CA
	key "$1" &&
	openssl req -x509 -key "$TMP/$1.key" -out "$TMP/$1.pem" -days 2 \
	    -subj "/CN=$2" 2>/dev/null
}
# expired: a certificate for localhost that was valid for one day in 2020.
# "openssl x509" cannot date a certificate in the past; "openssl ca" can.
expired() {
	mkdir "$TMP/ca.d" && : >"$TMP/ca.d/index.txt" &&
	echo 1000 >"$TMP/ca.d/serial" &&
	cat >"$TMP/ca.cnf" <<-EOF &&
	[ca]
	default_ca = test
	[test]
	database = $TMP/ca.d/index.txt
	new_certs_dir = $TMP/ca.d
	serial = $TMP/ca.d/serial
	default_md = sha256
	policy = any
	[any]
	commonName = supplied
	[san]
	subjectAltName = IP:127.0.0.1,DNS:localhost
	EOF
	key expired &&
	openssl req -new -key "$TMP/expired.key" -out "$TMP/expired.csr" \
	    -subj /CN=localhost &&
	openssl ca -batch -config "$TMP/ca.cnf" -cert "$TMP/ca.pem" \
	    -keyfile "$TMP/ca.key" -in "$TMP/expired.csr" -out "$TMP/expired.pem" \
	    -startdate 20200101000000Z -enddate 20200102000000Z -extensions san \
	    -notext 2>/dev/null
}
ca ca "chatcat test CA" &&
ca other "another test CA" &&
cert good localhost "IP:127.0.0.1,DNS:localhost" &&
cert wrong wrong.example "DNS:wrong.example" &&
cert client "chatcat client" "DNS:client.test" &&
cert stranger "someone else" "DNS:stranger.test" other &&
expired &&
mkdir "$TMP/capath" "$TMP/otherpath" &&
cp "$TMP/ca.pem" "$TMP/capath/" && cp "$TMP/other.pem" "$TMP/otherpath/" &&
openssl rehash "$TMP/capath" "$TMP/otherpath" &&
cat "$TMP/client.pem" "$TMP/client.key" >"$TMP/both.pem" &&
openssl pkey -in "$TMP/client.key" -aes256 -passout pass:secret \
    -out "$TMP/locked.key" ||
    { echo "Bail out! cannot make test certificates"; exit 99; }
# Every reply of the echo peer to "hi" ends with this frame.
OK='~(.*\n)+.*"status":"complete"\}'
HINT="Try 'chatcat --help' for more information."

peer good --token sekrit --tls-cert "$TMP/good.pem" --tls-key "$TMP/good.key" \
    --record-request "$TMP/requests"
W="wss://127.0.0.1:$PORT"
D="$W/chat/ws?token=***"
run -u "$W" --token sekrit --cacert "$TMP/ca.pem" -q send --thread $T1 hi
check "wss:// with --cacert: verified, works" 0 "$OK" ""
run -u "https://localhost:$PORT" --token sekrit --cacert "$TMP/ca.pem" -q send --thread $T1 hi
check "https:// is wss://; the host name is verified" 0 "$OK" ""
run -u "$W" --token sekrit send --thread $T1 hi
check "an unknown CA: exit 11 with the reason" 11 "" "chatcat: $D: TLS failure: certificate verification failed: unable to get local issuer certificate"
run -u "$W" --token sekrit -k send --thread $T1 hi
check "-k: works, with a warning" 0 "$OK" "chatcat: warning: --insecure: the server's certificate is not checked"
run -u "$W" --token sekrit --cacert /nonexistent send --thread $T1 hi
check "an unreadable --cacert" 2 "" "chatcat: --cacert: /nonexistent: No such file or directory\n$HINT"

echo "not a certificate" >"$TMP/junk.pem"
run -u "$W" --token sekrit --cacert "$TMP/junk.pem" send --thread $T1 hi
check "a --cacert without certificates: exit 11" 11 "" "chatcat: $TMP/junk.pem: cannot load CA certificates"

# --capath: a hashed directory, alone or with --cacert; the system bundle
# is not used then.
run -u "$W" --token sekrit --capath "$TMP/capath" -q send --thread $T1 hi
check "--capath with the CA: verified, works" 0 "$OK" ""
run -u "$W" --token sekrit --capath "$TMP/otherpath" send --thread $T1 hi
check "--capath without the CA: exit 11" 11 "" "chatcat: $D: TLS failure: certificate verification failed: unable to get local issuer certificate"
run -u "$W" --token sekrit --cacert "$TMP/other.pem" --capath "$TMP/capath" -q send --thread $T1 hi
check "--cacert and --capath together: either may hold the CA" 0 "$OK" ""
run -u "$W" --token sekrit --capath /nonexistent send --thread $T1 hi
check "a --capath that does not exist: usage error" 2 "" "chatcat: --capath: /nonexistent: No such file or directory\n$HINT"
run -u "$W" --token sekrit --capath "$TMP/ca.pem" send --thread $T1 hi
check "a --capath that is a file: usage error" 2 "" "chatcat: --capath: $TMP/ca.pem: Not a directory\n$HINT"
run -u "$W" --token sekrit --capath "$TMP/capath" -k send --thread $T1 hi
check "--capath with --insecure: usage error" 2 "" "chatcat: --capath and --insecure contradict each other\n$HINT"

# The upgrade request's headers, as the peer received them.
run -u "$W" --token sekrit --cacert "$TMP/ca.pem" -q --origin https://app.example \
    --user-agent "tester/1.0 (chatcat)" -H "X-Trace: abc 123" send --thread $T1 hi
check "--origin, --user-agent and -H: works" 0 "$OK" ""
assert "the peer saw the Origin header" \
    [ "$(request_header "$TMP/requests" origin)" = https://app.example ]
assert "the peer saw the User-Agent header" \
    [ "$(request_header "$TMP/requests" user-agent)" = "tester/1.0 (chatcat)" ]
assert "the peer saw the -H header" \
    [ "$(request_header "$TMP/requests" x-trace)" = "abc 123" ]
VERSION=$("$CHATCAT" --version | cut -d' ' -f2)
run -u "$W" --token sekrit --cacert "$TMP/ca.pem" -q send --thread $T1 hi
assert "the default User-Agent is chatcat/VERSION, and no Origin" \
    [ "$RC $(request_header "$TMP/requests" user-agent)/$(request_header "$TMP/requests" origin)" = "0 chatcat/$VERSION/" ]
run -u "$W" --token sekrit --cacert "$TMP/ca.pem" -q --user-agent "" send --thread $T1 hi
# no_user_agent: the last run worked and its request had no User-Agent.
no_user_agent() {
	[ "$RC" = 0 ] && "$PYTHON" -c 'import json, sys
h = json.loads(open(sys.argv[1]).read().splitlines()[-1])["headers"]
sys.exit("user-agent" in h)' "$TMP/requests"
}
assert "--user-agent '' sends none" no_user_agent
run -u "$W" --token sekrit --cacert "$TMP/ca.pem" -q -H "user-agent: by-header" send --thread $T1 hi
assert "-H 'User-Agent: ...' replaces the default" \
    [ "$RC $(request_header "$TMP/requests" user-agent)" = "0 by-header" ]

peer wrong --token sekrit --tls-cert "$TMP/wrong.pem" --tls-key "$TMP/wrong.key"
run -u "wss://127.0.0.1:$PORT" --token sekrit --cacert "$TMP/ca.pem" send --thread $T1 hi
check "a certificate for another name: exit 11" 11 "" "chatcat: wss://127.0.0.1:$PORT/chat/ws?token=***: TLS failure: certificate verification failed: IP address mismatch"
run -u "wss://localhost:$PORT" --token sekrit --cacert "$TMP/ca.pem" send --thread $T1 hi
check "a certificate for another host name: exit 11" 11 "" "chatcat: wss://localhost:$PORT/chat/ws?token=***: TLS failure: certificate verification failed: hostname mismatch"

peer expired --token sekrit --tls-cert "$TMP/expired.pem" --tls-key "$TMP/expired.key"
run -u "wss://localhost:$PORT" --token sekrit --cacert "$TMP/ca.pem" send --thread $T1 hi
check "an expired certificate: exit 11" 11 "" "chatcat: wss://localhost:$PORT/chat/ws?token=***: TLS failure: certificate verification failed: certificate has expired"
run -u "wss://localhost:$PORT" --token sekrit -k -q send --thread $T1 hi
check "an expired certificate with -k: works" 0 "$OK" ""

# Client certificates: the peer requires one signed by the test CA.
peer mtls --token sekrit --tls-cert "$TMP/good.pem" --tls-key "$TMP/good.key" \
    --tls-client-ca "$TMP/ca.pem"
W="wss://127.0.0.1:$PORT"
D="$W/chat/ws?token=***"
run -u "$W" --token sekrit --cacert "$TMP/ca.pem" -q --cert "$TMP/client.pem" \
    --cert-key "$TMP/client.key" send --thread $T1 hi
check "a client certificate, required and given: works" 0 "$OK" ""
run -u "$W" --token sekrit --cacert "$TMP/ca.pem" -q --cert "$TMP/both.pem" send --thread $T1 hi
check "--cert with the key in the same file: works" 0 "$OK" ""
run -u "$W" --token sekrit --cacert "$TMP/ca.pem" send --thread $T1 hi
check "a client certificate required, none given: exit 11" 11 "" "chatcat: $D: TLS failure: the server closed the connection after the handshake (does it require a client certificate? see --cert)"
run -u "$W" --token sekrit --cacert "$TMP/ca.pem" --cert "$TMP/stranger.pem" \
    --cert-key "$TMP/stranger.key" send --thread $T1 hi
check "a client certificate the server does not trust: exit 11" 11 "" "chatcat: $D: TLS failure: the server closed the connection after the handshake (did it refuse the client certificate?)"
run -u "$W" --token sekrit --cacert "$TMP/ca.pem" --cert "$TMP/client.pem" \
    --cert-key "$TMP/good.key" send --thread $T1 hi
check "a key that is not the certificate's: exit 11" 11 "" "chatcat: --cert-key: $TMP/good.key: not the key of the certificate in $TMP/client.pem"
cat "$TMP/client.pem" "$TMP/good.key" >"$TMP/mixed.pem"
run -u "$W" --token sekrit --cacert "$TMP/ca.pem" --cert "$TMP/mixed.pem" send --thread $T1 hi
check "a --cert file whose key is another's: exit 11" 11 "" "chatcat: --cert: $TMP/mixed.pem: the private key is not the certificate's"
run -u "$W" --token sekrit --cacert "$TMP/ca.pem" --cert "$TMP/client.pem" send --thread $T1 hi
check "--cert without a key and no --cert-key: exit 11" 11 "" "chatcat: --cert: $TMP/client.pem: no PEM private key in it (see --cert-key)"
run -u "$W" --token sekrit --cacert "$TMP/ca.pem" --cert "$TMP/junk.pem" send --thread $T1 hi
check "a --cert that is not a certificate: exit 11" 11 "" "chatcat: --cert: $TMP/junk.pem: no PEM certificate in it"
run -u "$W" --token sekrit --cacert "$TMP/ca.pem" --cert "$TMP/client.pem" \
    --cert-key "$TMP/junk.pem" send --thread $T1 hi
check "a --cert-key that is not a key: exit 11" 11 "" "chatcat: --cert-key: $TMP/junk.pem: no PEM private key in it"
run -u "$W" --token sekrit --cacert "$TMP/ca.pem" --cert "$TMP/client.pem" \
    --cert-key "$TMP/locked.key" send --thread $T1 hi
check "an encrypted key: exit 11, no prompt" 11 "" "chatcat: --cert-key: $TMP/locked.key: the private key is encrypted (not supported)"
run -u "$W" --token sekrit --cacert "$TMP/ca.pem" --cert /nonexistent send --thread $T1 hi
check "a --cert that does not exist: usage error" 2 "" "chatcat: --cert: /nonexistent: No such file or directory\n$HINT"
run -u "$W" --token sekrit --cacert "$TMP/ca.pem" --cert "$TMP/client.pem" \
    --cert-key /nonexistent send --thread $T1 hi
check "a --cert-key that does not exist: usage error" 2 "" "chatcat: --cert-key: /nonexistent: No such file or directory\n$HINT"
run -u "$W" --token sekrit --cacert "$TMP/ca.pem" --cert-key "$TMP/client.key" send --thread $T1 hi
check "--cert-key without --cert: usage error" 2 "" "chatcat: --cert-key needs --cert\n$HINT"
run -u "$W" --token sekrit --cacert "$TMP/capath" send --thread $T1 hi
check "a --cacert that is a directory: usage error" 2 "" "chatcat: --cacert: $TMP/capath: Is a directory\n$HINT"

# openssl s_server sends the alerts that say why (Python's drops the
# connection instead); -www answers an upgrade with a status page (200).
# s_server NAME ARGS...: start it on 127.0.0.1 port 0; sets PORT.
s_server() {
	local name=$1
	shift
	: >"$TMP/$name.out"
	openssl s_server -www -accept 127.0.0.1:0 -cert "$TMP/good.pem" \
	    -key "$TMP/good.key" "$@" </dev/null >"$TMP/$name.out" 2>&1 &
	PIDS="$PIDS $!"
	wait_for "$TMP/$name.out" '^ACCEPT ' 20 ||
	    { echo "Bail out! openssl s_server did not start"; exit 99; }
	PORT=$(sed -n 's/^ACCEPT .*:\([0-9]*\)$/\1/p' "$TMP/$name.out")
}
s_server alerts -Verify 1 -verify_return_error -CAfile "$TMP/ca.pem"
W="wss://127.0.0.1:$PORT"
D="$W/chat/ws?token=***"
run -u "$W" --token sekrit --cacert "$TMP/ca.pem" send --thread $T1 hi
check "s_server: no client certificate: the alert's reason" 11 "" "chatcat: $D: TLS failure: the server requires a client certificate (--cert)"
run -u "$W" --token sekrit --cacert "$TMP/ca.pem" --cert "$TMP/stranger.pem" \
    --cert-key "$TMP/stranger.key" send --thread $T1 hi
check "s_server: an untrusted client certificate: the alert's reason" 11 "" "chatcat: $D: TLS failure: the server refused the client certificate: tlsv1 alert unknown ca"
run -u "$W" --token sekrit --cacert "$TMP/ca.pem" --cert "$TMP/client.pem" \
    --cert-key "$TMP/client.key" send --thread $T1 hi
check "s_server: a trusted client certificate gets through TLS" 12 "" "chatcat: $D: upgrade refused (HTTP 200 ok)"

finish
