package facts

// SetMaxSize lowers the size limit for a test and returns the old one.
func SetMaxSize(n int64) int64 {
	old := maxSize
	maxSize = n
	return old
}

// ReadWhole is the slow path, for comparing with the streaming one.
var ReadWhole = readWhole

// setChunk sets the size of the windows the files array is decoded in and
// returns the old one.
func setChunk(n int) int {
	old := chunk
	chunk = n
	return old
}
