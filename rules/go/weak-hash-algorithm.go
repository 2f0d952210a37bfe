package store

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	legacy "crypto/sha1"
	"encoding/hex"
	"io"
)

func PasswordHash(password, salt string) string {
	// ruleid: freshet-go-weak-hash-algorithm
	sum := md5.Sum([]byte(salt + password))
	return hex.EncodeToString(sum[:])
}

func FileDigest(r io.Reader) ([]byte, error) {
	// ruleid: freshet-go-weak-hash-algorithm
	h := md5.New()
	if _, err := io.Copy(h, r); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}

func SignatureBase(payload []byte) [20]byte {
	// ruleid: freshet-go-weak-hash-algorithm
	return sha1.Sum(payload)
}

func CacheKey(data []byte) []byte {
	// ruleid: freshet-go-weak-hash-algorithm
	h := legacy.New()
	h.Write(data)
	return h.Sum(nil)
}

func Strong(payload []byte) [32]byte {
	// ok: freshet-go-weak-hash-algorithm
	return sha256.Sum256(payload)
}

func Size() int {
	// ok: freshet-go-weak-hash-algorithm
	return md5.Size
}
