//go:build !race

package carehqtest

// raceEnabled reports that the race detector is off.
const raceEnabled = false
