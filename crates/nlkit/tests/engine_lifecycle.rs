//! The engine against a fake kernel: closing, dropping, the in-flight window, queued deadlines, ENOBUFS.

mod support;

#[allow(unused_imports)]
use support::fake_kernel::*;

// 11. Closing.

struct ChannelCompleter(mpsc::Sender<Done>);

impl Completer<Object> for ChannelCompleter {
    fn complete(&self, done: Vec<Done>) {
        for d in done {
            let _ = self.0.send(d);
        }
    }
}

#[test]
fn every_request_completes_once_whether_sent_directly_or_handed_over_even_at_close() {
    // submit_and_collect never waits for the engine's state: when the I/O thread holds it, the
    // batch is handed over. Whatever path a request takes, it completes exactly once: answered,
    // or failed by close().
    watch_engine_panics();
    let (kernel, transport) = FakeKernel::new();
    let (tx, rx) = mpsc::channel();
    let mut conn = Conn::with_transport(Rtnl, Box::new(transport), opts(), Box::new(ChannelCompleter(tx))).expect("conn");
    let answered = thread::scope(|s| {
        let answer = s.spawn(|| {
            // Answer the first 300 requests (in bursts, so the I/O thread is busy), then stop.
            let mut n = 0;
            while n < 300 {
                let reqs = kernel.read_requests(Duration::from_millis(5));
                let reqs = &reqs[..reqs.len().min(300 - n)];
                n += reqs.len();
                kernel.send_all(&reqs.iter().map(|r| error_msg(r, 0, None)).collect::<Vec<_>>());
            }
            n
        });
        let mut got = Vec::new();
        for t in 0..500u64 {
            got.extend(conn.submit_and_collect(vec![(t + 1, set_up("x"), None)], 64));
        }
        (got, answer.join().unwrap())
    });
    let (direct, _) = answered;
    conn.close();
    let mut seen = HashMap::new();
    for d in direct.into_iter().chain(std::iter::from_fn(|| rx.recv_timeout(Duration::from_millis(500)).ok())) {
        *seen.entry(d.token).or_insert(0) += 1;
    }
    assert_eq!(seen.len(), 500, "every request completed");
    assert!(seen.values().all(|&n| n == 1), "none completed twice");
}

#[test]
fn close_fails_every_pending_request() {
    watch_engine_panics();
    let (kernel, transport) = FakeKernel::new();
    let (tx, rx) = mpsc::channel();
    let o = Options { max_in_flight: 3, ..opts() };
    let mut conn = Conn::with_transport(Rtnl, Box::new(transport), o, Box::new(ChannelCompleter(tx))).expect("conn");
    conn.submit(vec![
        (1, set_up("a"), None),
        (2, get("g"), None),
        (3, dump(), None),
        (4, dump(), None),
        (5, set_up("b"), None),
        (6, set_up("c"), None),
    ]);
    // Three in flight (one of them the dump), three queued.
    assert_eq!(kernel.expect_requests(3).len(), 3);
    let st = conn.stats();
    assert_eq!((st.in_flight, st.queued), (3, 3));
    assert!(rx.try_recv().is_err(), "nothing may complete before the close");

    conn.close();
    let mut tokens = HashSet::new();
    for _ in 0..6 {
        let d = rx.recv_timeout(WAIT).expect("a pending request was not completed by close()");
        assert_err(&d.result, ErrorKind::Closed, libc::ECANCELED);
        assert!(tokens.insert(d.token), "token {} completed twice", d.token);
    }
    assert_eq!(tokens, (1..=6).collect::<HashSet<u64>>());
    let st = conn.stats();
    assert_eq!((st.in_flight, st.queued), (0, 0));

    // After close: refused at once, on the submitting thread. Close is idempotent.
    conn.submit(vec![(7, set_up("late"), None)]);
    let d = rx.try_recv().expect("a submission after close must complete at once");
    assert_eq!(d.token, 7);
    assert_err(&d.result, ErrorKind::Closed, libc::ECANCELED);
    conn.close();
    drop(conn);
    assert!(rx.try_recv().is_err(), "completed twice");
}

#[test]
fn drop_fails_pending_requests_and_client_close_refuses_calls() {
    watch_engine_panics();
    let (kernel, transport) = FakeKernel::new();
    let (tx, rx) = mpsc::channel();
    let conn = Conn::with_transport(Rtnl, Box::new(transport), opts(), Box::new(ChannelCompleter(tx))).expect("conn");
    conn.submit(vec![(1, set_up("a"), None), (2, dump(), None)]);
    kernel.expect_requests(2);
    drop(conn);
    for _ in 0..2 {
        let d = rx.recv_timeout(WAIT).expect("dropping the conn must complete what is pending");
        assert_err(&d.result, ErrorKind::Closed, libc::ECANCELED);
    }

    let (_kernel, mut client) = setup(opts());
    client.close();
    assert_err(&client.call(set_up("x"), None), ErrorKind::Closed, libc::ECANCELED);
}

// 12. The in-flight window.

#[test]
fn max_in_flight_bounds_unanswered_requests() {
    const N: usize = 20;
    const WINDOW: usize = 4;
    let (kernel, client) = setup(Options { max_in_flight: WINDOW, ..opts() });
    thread::scope(|s| {
        let h = s.spawn(|| client.call_many((0..N).map(|i| set_up(&format!("m{i}"))).collect(), None));
        let mut outstanding: VecDeque<Req> = VecDeque::new();
        let (mut seen, mut answered, mut most) = (0, 0, 0);
        while answered < N {
            // Wait long for the first request; afterwards, only briefly for extra ones.
            let wait = if outstanding.is_empty() { WAIT } else { Duration::from_millis(20) };
            let new = kernel.read_requests(wait);
            assert!(!(new.is_empty() && outstanding.is_empty()), "stalled after {answered} answers");
            if seen == 0 {
                let st = client.conn().stats();
                assert_eq!((st.in_flight, st.queued), (WINDOW, N - WINDOW));
            }
            seen += new.len();
            outstanding.extend(new);
            most = most.max(outstanding.len());
            assert!(outstanding.len() <= WINDOW, "{} requests unanswered at once", outstanding.len());
            if let Some(r) = outstanding.pop_front() {
                kernel.ack(&r, 0);
                answered += 1;
            }
        }
        assert_eq!(seen, N);
        assert_eq!(most, WINDOW);
        let results = h.join().unwrap();
        assert!(results.iter().all(|r| r == &Ok(vec![])), "{results:?}");
    });
    kernel.assert_quiet();
}

#[test]
fn queued_requests_time_out_too() {
    let timeout = Duration::from_millis(100);
    let (kernel, client) = setup(Options { max_in_flight: 1, timeout, ..opts() });
    thread::scope(|s| {
        let t0 = Instant::now();
        let h = s.spawn(|| client.call_many(vec![set_up("a"), set_up("b")], None));
        kernel.expect_requests(1);
        let r = h.join().unwrap();
        assert!(t0.elapsed() < timeout * 10, "took {:?}", t0.elapsed());
        assert_err(&r[0], ErrorKind::Timeout, libc::ETIMEDOUT);
        assert_err(&r[1], ErrorKind::Timeout, libc::ETIMEDOUT);
        let st = client.conn().stats();
        assert_eq!((st.in_flight, st.queued), (0, 0));
    });
    // Both had the same deadline: the queued one was never sent.
    kernel.assert_quiet();
}

// ENOBUFS: replies were lost, but not a running dump's (the kernel pauses dumps instead).

#[test]
fn enobufs_fails_acks_and_gets_but_not_the_dump() {
    let (kernel, client) = setup(opts());
    thread::scope(|s| {
        let h = s.spawn(|| client.call_many(vec![set_up("a"), get("g"), dump()], None));
        let reqs = kernel.expect_requests(3);
        kernel.signal_enobufs();
        let d = reqs.iter().find(|r| r.hdr.flags & NLM_F_DUMP == NLM_F_DUMP).expect("dump");
        kernel.send_all(&[link_msg(d.seq(), NLM_F_MULTI, 1, "d"), done_msg(d.seq(), 0, None)]);
        let r = h.join().unwrap();
        assert_err(&r[0], ErrorKind::Io, libc::ENOBUFS);
        assert_err(&r[1], ErrorKind::Io, libc::ENOBUFS);
        assert_eq!(names(&r[2]), ["d"]);

        let h = s.spawn(|| client.call(set_up("after"), None));
        let r = kernel.expect_requests(1).remove(0);
        kernel.ack(&r, 0);
        assert_eq!(h.join().unwrap(), Ok(vec![]));
    });
}
