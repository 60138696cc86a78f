package main

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"example.com/gateway/sdk"
)

// These tests call the hooks as gateway does, without building or opening
// the plugin file.

func TestName(t *testing.T) {
	got := Plugin.Name()
	if got == "" {
		t.Errorf("Name returned an empty string")
	}
}

func TestOnRequest(t *testing.T) {
	ctx := context.Background()
	req := new(sdk.Request)
	got, err := Plugin.OnRequest(ctx, req)
	if err != nil {
		t.Fatalf("OnRequest: %v", err)
	}
	if reflect.DeepEqual(got, new(sdk.Request)) {
		t.Errorf("OnRequest returned req as it came: the hook changes it")
	}
}

func TestOnRequestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := new(sdk.Request)
	_, err := Plugin.OnRequest(ctx, req)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("OnRequest with a cancelled context returned %v, want %v", err, context.Canceled)
	}
}
