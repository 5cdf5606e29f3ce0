#!/bin/bash
# wss:// against the independent peer with a test CA made here by openssl:
# trusted, untrusted, wrong name, -k, and https:// mapped to wss://.
. "${srcdir:-.}/tests/lib.sh"
plan 8

command -v openssl >/dev/null || { echo "Bail out! openssl is missing"; exit 99; }
cert() { # name CN SAN: a key and a certificate signed by the test CA
	openssl req -newkey rsa:2048 -nodes -keyout "$TMP/$1.key" -out "$TMP/$1.csr" \
	    -subj "/CN=$2" 2>/dev/null &&
	printf 'subjectAltName=%s\n' "$3" >"$TMP/$1.ext" &&
	openssl x509 -req -in "$TMP/$1.csr" -CA "$TMP/ca.pem" -CAkey "$TMP/ca.key" \
	    -CAcreateserial -out "$TMP/$1.pem" -days 2 -extfile "$TMP/$1.ext" 2>/dev/null
}
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TMP/ca.key" -out "$TMP/ca.pem" \
    -days 2 -subj "/CN=chatcat test CA" 2>/dev/null &&
cert good localhost "IP:127.0.0.1,DNS:localhost" &&
cert wrong wrong.example "DNS:wrong.example" ||
    { echo "Bail out! cannot make test certificates"; exit 99; }

peer good --token sekrit --tls-cert "$TMP/good.pem" --tls-key "$TMP/good.key"
W="wss://127.0.0.1:$PORT"
run -u "$W" --token sekrit --cacert "$TMP/ca.pem" -q send --thread $T1 hi
check "wss:// with --cacert: verified, works" 0 "~(.*\n)+.*\"status\":\"complete\"\}" ""
run -u "https://localhost:$PORT" --token sekrit --cacert "$TMP/ca.pem" -q send --thread $T1 hi
check "https:// is wss://; the host name is verified" 0 "~(.*\n)+.*\"status\":\"complete\"\}" ""
run -u "$W" --token sekrit send --thread $T1 hi
check "an unknown CA: exit 11 with the reason" 11 "" "chatcat: $W/chat/ws?token=***: TLS failure: certificate verification failed: unable to get local issuer certificate"
run -u "$W" --token sekrit -k send --thread $T1 hi
check "-k: works, with a warning" 0 "~(.*\n)+.*\"status\":\"complete\"\}" "chatcat: warning: --insecure: the server's certificate is not checked"
run -u "$W" --token sekrit --cacert /nonexistent send --thread $T1 hi
check "an unreadable --cacert" 2 "" "chatcat: --cacert: /nonexistent: No such file or directory\nTry 'chatcat --help' for more information."

echo "not a certificate" >"$TMP/junk.pem"
run -u "$W" --token sekrit --cacert "$TMP/junk.pem" send --thread $T1 hi
check "a --cacert without certificates: exit 11" 11 "" "chatcat: $TMP/junk.pem: cannot load CA certificates"

peer wrong --token sekrit --tls-cert "$TMP/wrong.pem" --tls-key "$TMP/wrong.key"
run -u "wss://127.0.0.1:$PORT" --token sekrit --cacert "$TMP/ca.pem" send --thread $T1 hi
check "a certificate for another name: exit 11" 11 "" "chatcat: wss://127.0.0.1:$PORT/chat/ws?token=***: TLS failure: certificate verification failed: IP address mismatch"
run -u "wss://localhost:$PORT" --token sekrit --cacert "$TMP/ca.pem" send --thread $T1 hi
check "a certificate for another host name: exit 11" 11 "" "chatcat: wss://localhost:$PORT/chat/ws?token=***: TLS failure: certificate verification failed: hostname mismatch"
finish
