//go:build !race

package carehq

// benchUnderRace is true when the race detector is on. It slows decoding
// about tenfold, so tests that walk long lists walk shorter ones.
const benchUnderRace = false
