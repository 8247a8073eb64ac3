package outbound

import (
	"errors"
	"fmt"
	"io"
)

// ErrBodyTooLarge is wrapped by ReadBody when a body exceeds its limit.
var ErrBodyTooLarge = errors.New("response body exceeds max_body_size")

// ReadBody reads at most limit bytes of r; a longer body is ErrBodyTooLarge.
func ReadBody(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%w (%d bytes)", ErrBodyTooLarge, limit)
	}
	return b, nil
}
