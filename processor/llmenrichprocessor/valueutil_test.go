package llmenrichprocessor

import (
	"fmt"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

// putAny sets an attribute of any Go type (nil: leave it absent).
func putAny(a pcommon.Map, k string, v any) {
	switch x := v.(type) {
	case nil:
	case int:
		a.PutInt(k, int64(x))
	case int64:
		a.PutInt(k, x)
	case float64:
		a.PutDouble(k, x)
	case string:
		a.PutStr(k, x)
	case bool:
		a.PutBool(k, x)
	case []byte:
		a.PutEmptyBytes(k).FromRaw(x)
	case []any:
		_ = a.PutEmptySlice(k).FromRaw(x)
	case map[string]any:
		_ = a.PutEmptyMap(k).FromRaw(x)
	default:
		panic(fmt.Sprintf("putAny: %T", v))
	}
}
