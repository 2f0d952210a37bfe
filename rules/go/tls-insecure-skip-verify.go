package client

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
)

func InsecureClient() *http.Client {
	transport := &http.Transport{
		TLSClientConfig: &tls.Config{
			MinVersion: tls.VersionTLS12,
			// ruleid: freshet-go-tls-insecure-skip-verify
			InsecureSkipVerify: true,
		},
	}
	return &http.Client{Transport: transport}
}

func ConfigFromFlags(skip bool) *tls.Config {
	cfg := &tls.Config{}
	if skip {
		// ruleid: freshet-go-tls-insecure-skip-verify
		cfg.InsecureSkipVerify = true
	}
	return cfg
}

func OneLine() *tls.Config {
	// ruleid: freshet-go-tls-insecure-skip-verify
	return &tls.Config{InsecureSkipVerify: true}
}

func PrivateCA(pool *x509.CertPool) *tls.Config {
	return &tls.Config{
		RootCAs: pool,
		// ok: freshet-go-tls-insecure-skip-verify
		InsecureSkipVerify: false,
	}
}

func Default() *tls.Config {
	// ok: freshet-go-tls-insecure-skip-verify
	return &tls.Config{MinVersion: tls.VersionTLS13}
}
