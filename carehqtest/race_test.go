//go:build race

package carehqtest

// raceEnabled reports that the race detector, which slows code several
// times over, is on.
const raceEnabled = true
