//! Accepting connections: how many may be open, how long a client may stay silent, and
//! which idle connection gives way when a new one arrives at the cap.
//!
//! `axum::serve` has no timeouts and no limits: a few scripts holding idle sockets could
//! fill the file table and starve real visitors. Here each connection is served by hyper's
//! HTTP/1 server with a timer, so a client that does not send a complete request head
//! within the header timeout (a new connection that sends nothing, half a request, or an
//! idle keep-alive connection) is closed. Open connections are counted, per client and in
//! all; at either cap the oldest *idle* connection (no request in flight) is closed to
//! make room, and only when every connection is busy is the new one refused. An attacker
//! holding idle sockets therefore evicts their own, while a visitor's request, sent at
//! once, is served.

use crate::clients::{ClientKey, TrustedProxies};
use axum::Router;
use axum::extract::ConnectInfo;
use std::collections::{BTreeMap, HashMap};
use std::convert::Infallible;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch};
use tower_service::Service;

/// Connection limits, from the configuration.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// Most connections open at once.
    pub max_connections: usize,
    /// Most connections open at once from one client (an IPv4 address or an IPv6 /64);
    /// trusted proxies are exempt.
    pub max_per_client: usize,
    /// How long a client may take to send a request head, also between two requests on
    /// a kept-alive connection.
    pub header_timeout: Duration,
}

/// File descriptors kept free for everything that is not a client connection: the
/// database, the widget's files, outgoing webhooks, logs.
const RESERVED_FILES: u64 = 256;

/// Raises the soft limit on open files to the hard limit where the system allows it, and
/// returns the connection cap that fits under it (the configured one, or less).
pub fn fit_to_file_limit(wanted: usize) -> usize {
    let soft = match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(n) => n,
        Err(e) => {
            tracing::warn!(error = %e, "could not read or raise the open-file limit");
            return wanted;
        }
    };
    let room = usize::try_from(soft.saturating_sub(RESERVED_FILES).max(16)).unwrap_or(usize::MAX);
    if wanted > room {
        tracing::warn!(
            wanted,
            allowed = room,
            file_limit = soft,
            "--max-connections lowered to fit the open-file limit"
        );
        room
    } else {
        wanted
    }
}

/// The open connections: who they are from, whether a request is in flight, and how to
/// close each one.
#[derive(Clone)]
pub struct Connections {
    table: Arc<Mutex<Table>>,
    limits: ConnectionLimits,
}

#[derive(Default)]
struct Table {
    /// Accept order: the smallest key is the oldest connection.
    next: u64,
    open: BTreeMap<u64, Entry>,
    per_client: HashMap<ClientKey, usize>,
}

struct Entry {
    client: Option<ClientKey>,
    /// Requests in flight (responses not yet fully written); counted by the connection
    /// without taking the table's lock.
    busy: Arc<AtomicUsize>,
    /// Closes the connection when sent or dropped.
    close: Option<oneshot::Sender<()>>,
}

impl Table {
    fn remove(&mut self, id: u64) {
        if let Some(entry) = self.open.remove(&id)
            && let Some(client) = entry.client
            && let Some(n) = self.per_client.get_mut(&client)
        {
            *n -= 1;
            if *n == 0 {
                self.per_client.remove(&client);
            }
        }
    }

    /// Closes the oldest idle connection (of `client`, or of anyone); `false` if none is idle.
    fn evict_oldest_idle(&mut self, client: Option<ClientKey>) -> bool {
        let victim = self
            .open
            .iter()
            .find(|(_, e)| {
                e.busy.load(Ordering::Relaxed) == 0 && (client.is_none() || e.client == client)
            })
            .map(|(id, _)| *id);
        match victim {
            Some(id) => {
                if let Some(close) = self.open.get_mut(&id).and_then(|e| e.close.take()) {
                    let _ = close.send(());
                }
                self.remove(id);
                true
            }
            None => false,
        }
    }
}

/// A connection's place in the table; leaving it (drop) frees the place.
struct Admitted {
    id: u64,
    busy: Arc<AtomicUsize>,
    connections: Connections,
}

impl Drop for Admitted {
    fn drop(&mut self) {
        if let Ok(mut table) = self.connections.table.lock() {
            table.remove(self.id);
        }
    }
}

/// A request in flight on a connection; dropped when its response has been written.
struct Busy(Arc<AtomicUsize>);

impl Busy {
    fn start(count: &Arc<AtomicUsize>) -> Busy {
        count.fetch_add(1, Ordering::Relaxed);
        Busy(count.clone())
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Connections {
    /// An empty table with these limits.
    pub fn new(limits: ConnectionLimits) -> Connections {
        Connections {
            table: Arc::new(Mutex::new(Table::default())),
            limits,
        }
    }

    /// Connections open now.
    pub fn open(&self) -> usize {
        self.table.lock().map(|t| t.open.len()).unwrap_or(0)
    }

    /// Admits a new connection from `client` (`None`: a trusted proxy, exempt from the
    /// per-client cap), closing an older idle one when a cap is reached. `None` when the
    /// connection must be refused because every connection that could give way is busy.
    fn admit(&self, client: Option<ClientKey>) -> Option<(Admitted, oneshot::Receiver<()>)> {
        let mut table = self.table.lock().ok()?;
        if let Some(c) = client
            && table.per_client.get(&c).copied().unwrap_or(0) >= self.limits.max_per_client
            && !table.evict_oldest_idle(Some(c))
        {
            return None;
        }
        if table.open.len() >= self.limits.max_connections && !table.evict_oldest_idle(None) {
            return None;
        }
        let id = table.next;
        table.next += 1;
        let (close, closed) = oneshot::channel();
        let busy = Arc::new(AtomicUsize::new(0));
        table.open.insert(
            id,
            Entry {
                client,
                busy: busy.clone(),
                close: Some(close),
            },
        );
        if let Some(c) = client {
            *table.per_client.entry(c).or_default() += 1;
        }
        drop(table);
        Some((
            Admitted {
                id,
                busy,
                connections: self.clone(),
            },
            closed,
        ))
    }
}

/// A response body that marks its connection busy until hyper has written all of it.
struct Tracked {
    inner: axum::body::Body,
    _busy: Busy,
}

impl http_body::Body for Tracked {
    type Data = axum::body::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

/// Serves `app` on `listener` until `shutdown` completes; then stops accepting, lets the
/// requests in flight finish, and returns.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    connections: Connections,
    proxies: Arc<TrustedProxies>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(connections.limits.header_timeout)
        .keep_alive(true);
    // Connection tasks hold `close_rx`; when the last has ended, `close_tx.closed()` completes.
    let (signal_tx, signal_rx) = watch::channel(());
    let (close_tx, close_rx) = watch::channel(());
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors, or a connection reset before it was
                    // accepted: wait a moment rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let client = (!proxies.contains(remote.ip())).then(|| ClientKey::of(remote.ip()));
        let Some((admitted, evicted)) = connections.admit(client) else {
            tracing::debug!("connection refused: every open connection is busy");
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let in_flight = admitted.busy.clone();
        let router = app.clone();
        let service = hyper::service::service_fn(
            move |mut request: axum::extract::Request<hyper::body::Incoming>| {
                request.extensions_mut().insert(ConnectInfo(remote));
                let busy = Busy::start(&in_flight);
                let mut router = router.clone();
                let response = router.call(request.map(axum::body::Body::new));
                async move {
                    let response = response.await?;
                    Ok::<_, Infallible>(
                        response.map(|inner| axum::body::Body::new(Tracked { inner, _busy: busy })),
                    )
                }
            },
        );
        let connection = http.serve_connection(hyper_util::rt::TokioIo::new(stream), service);
        let mut signal_rx = signal_rx.clone();
        let close_rx = close_rx.clone();
        tokio::spawn(async move {
            let mut connection = std::pin::pin!(connection);
            let mut evicted = evicted;
            loop {
                tokio::select! {
                    result = connection.as_mut() => {
                        if let Err(e) = result {
                            tracing::debug!(error = %e, "connection ended with an error");
                        }
                        break;
                    }
                    // Closed to make room for a newer connection (sender sent or dropped).
                    _ = &mut evicted => break,
                    _ = signal_rx.changed() => connection.as_mut().graceful_shutdown(),
                }
            }
            drop(admitted);
            drop(close_rx);
        });
    }
    drop(listener);
    let _ = signal_tx.send(());
    drop(signal_rx);
    drop(close_rx);
    close_tx.closed().await;
}
