package carehqtest

import (
	"context"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"syscall"
)

// pipeListener is a listener on an in-process network: each dial makes a
// net.Pipe and hands one end to Accept. Everything it does is channel
// operations, which testing/synctest treats as durable blocking, so a
// bubble can tell when client and server are both waiting.
type pipeListener struct {
	addr   *net.TCPAddr
	conns  chan net.Conn
	closed chan struct{}
	once   sync.Once
}

// pipePorts numbers the in-memory listeners, so that each server has its
// own URL. Nothing listens on these ports.
var pipePorts atomic.Uint32

func newPipeListener() *pipeListener {
	return &pipeListener{
		addr: &net.TCPAddr{
			IP:   net.IPv4(127, 0, 0, 1),
			Port: 20000 + int(pipePorts.Add(1)%40000),
		},
		conns:  make(chan net.Conn),
		closed: make(chan struct{}),
	}
}

// Accept waits for the next dial, or for Close.
func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case conn := <-l.conns:
		return conn, nil
	case <-l.closed:
		return nil, net.ErrClosed
	}
}

// Close stops the listener; waiting and later dials fail.
func (l *pipeListener) Close() error {
	l.once.Do(func() { close(l.closed) })

	return nil
}

// Addr returns the loopback address the server's URL names.
func (l *pipeListener) Addr() net.Addr { return l.addr }

// dial connects to the listener, whatever address is asked for. A closed
// listener refuses the connection with the error a dial to a closed port
// gives, so that clients treat it as a request never sent.
func (l *pipeListener) dial(ctx context.Context, network, _ string) (net.Conn, error) {
	client, server := net.Pipe()
	select {
	case l.conns <- server:
		return client, nil
	case <-l.closed:
	case <-ctx.Done():
		client.Close()
		server.Close()
		return nil, ctx.Err()
	}
	client.Close()
	server.Close()

	return nil, &net.OpError{Op: "dial", Net: network, Addr: l.addr, Err: syscall.ECONNREFUSED}
}

// newTransport returns the transport of Server.HTTPClient: its own
// connection pool, closed with the server, and no proxy.
func newTransport(dial func(context.Context, string, string) (net.Conn, error)) *http.Transport {
	return &http.Transport{
		DialContext:         dial,
		MaxIdleConnsPerHost: 16,
	}
}
