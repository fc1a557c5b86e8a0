package io.logto.operator.reconciler.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.logto.operator.crd.app.CredentialsStatus;
import io.logto.operator.crd.app.CredentialsStatus.QueuedRotation;
import io.logto.operator.logto.model.ApplicationSecret;
import io.logto.operator.sandbox.EmbeddedKubernetes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rotation's promise, asserted after every step of simulated time, for every (period,
 * gracePeriod) pair of a grid over what the CRD accepts, each with several random scripts of
 * rotate requests, revoke-previous, Logto outages and operator crashes (right after any Logto
 * call, Secret write or status write, then a restart):
 * <ul>
 *   <li>what the Secret holds, current and previous, is accepted by Logto;
 *   <li>a secret the Secret handed out stays in it and valid for a whole grace period after it
 *       was replaced, unless revoke-previous was set meanwhile (or the grace is 0s);
 *   <li>the app holds at most two secrets, and a rotation starts only when the app holds just
 *       the current one (never during a grace period);
 *   <li>a rotation not asked for by a request comes at least a period after the one before and
 *       no earlier than status's nextRotation, and comes when status said it would;
 *   <li>status names the secrets the Secret holds, and a waiting request with when it runs;
 *   <li>a waiting request is told by one Event; no Event says the previous secret stays valid
 *       until a time before which it was deleted without a revoke.
 * </ul>
 * A fault-free tail then shows every request served and the schedule kept.
 */
class RotationInvariantTest {

  private static final int SCRIPTS_PER_SETTING = 4;
  /** The operator's default resync interval; long windows resync less often (a backup only). */
  private static final Duration RESYNC = Duration.ofMinutes(10);
  private static final int MAX_RESYNCS = 400;
  /** How late a rotation or retirement may come after its time: the reconcile's own delays. */
  private static final Duration LATENESS = Duration.ofSeconds(5);
  /** Outages and crash downtimes stay below the one hour an operator secret outlives its grace. */
  private static final Duration MAX_OUTAGE = Duration.ofMinutes(12);
  private static final Duration MAX_DOWNTIME = Duration.ofMinutes(8);

  private static final ExecutorService SCRIPTS = Executors.newFixedThreadPool(4);
  private static EmbeddedKubernetes kubernetes;

  @BeforeAll
  static void startKubernetes() {
    kubernetes = EmbeddedKubernetes.start();
  }

  @AfterAll
  static void stopKubernetes() {
    SCRIPTS.shutdownNow();
    kubernetes.close();
  }

  static Stream<Arguments> settings() {
    List<String> periods = new ArrayList<>(List.of("1m", "2m", "4m", "10m", "1h", "720h"));
    periods.add(null);
    List<String> graces = List.of("0s", "100ms", "1s", "40s", "59s", "2m", "30m", "24h");
    List<Arguments> settings = new ArrayList<>();
    for (String period : periods) {
      for (String grace : graces) {
        if (period == null || duration(grace).compareTo(duration(period)) < 0) {
          settings.add(Arguments.of(period, grace));
        }
      }
    }
    return settings.stream();
  }

  @ParameterizedTest(name = "period {0}, gracePeriod {1}")
  @MethodSource("settings")
  void rotationKeepsItsPromiseThroughRequestsOutagesAndCrashes(String period, String grace)
      throws Throwable {
    // The scripts run side by side: each world is its own Logto and clock, and a step spends
    // most of its time waiting for loopback HTTP.
    List<Future<Summary>> scripts = new ArrayList<>();
    for (int script = 1; script <= SCRIPTS_PER_SETTING; script++) {
      long seed = Objects.hash(period, grace, script);
      scripts.add(SCRIPTS.submit(() -> {
        try (RotationWorld world = new RotationWorld(kubernetes, period, grace)) {
          return new Run(world, seed).play();
        }
      }));
    }
    Summary total = new Summary(0, 0, 0, 0, Duration.ZERO);
    for (Future<Summary> script : scripts) {
      try {
        total = total.plus(script.get());
      } catch (ExecutionException e) {
        throw e.getCause();
      }
    }
    System.out.printf("period %s, gracePeriod %s: %d scripts over %s of simulated time: %d"
        + " reconciles, %d secrets created (the schedule and %d requests allow %d), %d crashes%n",
        period, grace, SCRIPTS_PER_SETTING, total.simulated(), total.reconciles(),
        total.created(), total.requests(), total.allowed(), total.crashes());
  }

  /** What one or more scripts did, for the figures the test prints. */
  private record Summary(long reconciles, long created, long requests, long crashes,
      Duration simulated, long allowed) {
    Summary(long reconciles, long created, long requests, long crashes, Duration simulated) {
      this(reconciles, created, requests, crashes, simulated, 0);
    }

    Summary plus(Summary other) {
      return new Summary(reconciles + other.reconciles, created + other.created,
          requests + other.requests, crashes + other.crashes, simulated.plus(other.simulated),
          allowed + other.allowed);
    }
  }

  /** One script on one world: the event loop, and the checks after each step. */
  private static final class Run {
    private final RotationWorld world;
    private final long seed;
    private final Random random;
    private final Optional<Duration> period;
    private final Duration grace;
    private final Deque<String> log = new ArrayDeque<>();

    private record Action(Instant at, String what, Runnable run) {}

    private final PriorityQueue<Action> script =
        new PriorityQueue<>(Comparator.comparing(Action::at));
    private final List<Duration> downtimes = new ArrayList<>();
    private Instant timer;
    private Instant nextResync;
    private Duration resync;
    private Instant restartAt;
    private int failuresInARow;
    /** The last time something kept the operator from acting: an outage or a crash. */
    private Instant lastTrouble = RotationWorld.START;
    private Instant prediction;
    private Instant predictionMadeAt;
    private final List<Instant[]> predictions = new ArrayList<>();
    private final Set<String> seenQueued = new HashSet<>();
    private final Set<String> tokenChecked = new HashSet<>();
    private final Map<String, Integer> crashesWhileQueued = new HashMap<>();
    private int requestCount;
    private long reconciles;

    Run(RotationWorld world, long seed) {
      this.world = world;
      this.seed = seed;
      this.random = new Random(seed);
      RotationPolicy policy = world.policy();
      this.period = policy.period();
      this.grace = policy.grace();
    }

    Summary play() {
      Duration unit = period.orElse(grace.compareTo(Duration.ofMinutes(10)) > 0 ? grace
          : Duration.ofMinutes(10));
      Duration window = unit.multipliedBy(4).plus(grace.multipliedBy(2));
      if (window.compareTo(Duration.ofDays(100)) > 0) {
        window = Duration.ofDays(100);
      }
      writeScript(window);
      Instant end = RotationWorld.START.plus(window);
      resync = window.dividedBy(MAX_RESYNCS).compareTo(RESYNC) > 0
          ? window.dividedBy(MAX_RESYNCS) : RESYNC;
      nextResync = RotationWorld.START.plus(resync);
      reconcile(true, "first sight");
      loop(end);
      world.setLogtoDown(false);
      if (world.annotation(CredentialRotation.REVOKE_PREVIOUS_ANNOTATION) != null) {
        world.setRevokePrevious(false);
        reconcile(false, "revoke-previous removed");
      }
      script.clear();
      Instant tailStart = world.now();
      Duration tail = period.orElse(Duration.ZERO).multipliedBy(2).plus(grace)
          .plus(MAX_DOWNTIME).plus(Duration.ofMinutes(1));
      loop(tailStart.plus(tail));
      checkTheTail(tailStart);
      long allowed = checkTheRecord();
      return new Summary(reconciles, world.creations.size(), world.requests.size(),
          world.crashes, Duration.between(RotationWorld.START, world.now()), allowed);
    }

    // The script

    private void writeScript(Duration window) {
      long span = window.toMillis();
      for (int i = random.nextInt(5); i > 0; i--) {
        String value = "request-" + (++requestCount);
        at(span, "rotate=" + value, () -> {
          world.requestRotation(value);
          reconcile(false, "annotation rotate=" + value);
        });
      }
      if (random.nextInt(4) == 0) {
        long on = (long) (random.nextDouble() * span * 0.7);
        long off = on + 1 + (long) (random.nextDouble() * Math.max(grace.toMillis(), 1000) * 2);
        script.add(new Action(RotationWorld.START.plusMillis(on), "revoke-previous on", () -> {
          world.setRevokePrevious(true);
          reconcile(false, "annotation revoke-previous=true");
        }));
        script.add(new Action(RotationWorld.START.plusMillis(off), "revoke-previous off", () -> {
          world.setRevokePrevious(false);
          reconcile(false, "annotation revoke-previous removed");
        }));
      }
      for (int i = random.nextInt(3); i > 0; i--) {
        long start = (long) (random.nextDouble() * span * 0.8);
        long length = 1000 + (long) (random.nextDouble() * MAX_OUTAGE.toMillis() / 2);
        script.add(new Action(RotationWorld.START.plusMillis(start), "Logto down", () -> {
          world.setLogtoDown(true);
          lastTrouble = world.now();
        }));
        script.add(new Action(RotationWorld.START.plusMillis(start + length), "Logto back",
            () -> {
              world.setLogtoDown(false);
              lastTrouble = world.now();
            }));
      }
      for (int i = random.nextInt(4); i > 0; i--) {
        int steps = 1 + random.nextInt(10);
        downtimes.add(Duration.ofMillis(1000 + (long) (random.nextDouble()
            * MAX_DOWNTIME.toMillis())));
        at(span, "crash armed (after " + steps + " steps)", () -> world.crashAfter(steps));
      }
      for (int i = random.nextInt(6); i > 0; i--) {
        at(span, "a full sync (spec or drift)", () -> reconcile(true, "full sync"));
      }
    }

    private void at(long span, String what, Runnable run) {
      script.add(new Action(RotationWorld.START.plusMillis((long) (random.nextDouble() * span)),
          what, run));
    }

    // The event loop: the next of the timer, the resync, a restart and the script

    private void loop(Instant end) {
      while (true) {
        Instant next = Stream.of(timer, nextResync, restartAt,
                script.isEmpty() ? null : script.peek().at())
            .filter(Objects::nonNull).min(Comparator.naturalOrder()).orElseThrow();
        if (next.isAfter(end)) {
          world.advance(Duration.between(world.now(), end));
          check("at the end");
          return;
        }
        world.advance(Duration.between(world.now(), next));
        if (next.equals(restartAt)) {
          restartAt = null;
          world.restart();
          reconcile(true, "operator restarted");
        } else if (!script.isEmpty() && next.equals(script.peek().at())) {
          Action action = script.poll();
          note(action.what());
          action.run().run();
        } else if (next.equals(timer)) {
          timer = null;
          reconcile(false, "timer");
        } else {
          nextResync = next.plus(resync);
          Optional<RotationWorld.Result> result = world.resync();
          if (result.isPresent() || world.operatorDown()) {
            after(result, "resync");
          }
        }
      }
    }

    private void reconcile(boolean fullSync, String why) {
      check("before reconcile (" + why + ")");
      reconciles++;
      after(world.reconcile(fullSync), why);
    }

    private void after(Optional<RotationWorld.Result> result, String why) {
      if (result.isEmpty()) {
        timer = null; // a dead process keeps no timer
        if (world.operatorDown() && restartAt == null) {
          Duration down = downtimes.isEmpty() ? Duration.ofSeconds(5) : downtimes.remove(0);
          restartAt = world.now().plus(down);
          lastTrouble = restartAt;
          if (world.credentials() != null && world.credentials().getQueued() != null) {
            crashesWhileQueued.merge(world.credentials().getQueued().getRequest(), 1,
                Integer::sum);
          }
          note("operator crashed (" + why + "); restarts at " + restartAt);
        }
        check("after a crash");
        return;
      }
      RotationWorld.Result outcome = result.get();
      if (outcome.failed()) {
        failuresInARow++;
        lastTrouble = world.now();
        long seconds = Math.min(60, 2L << Math.min(failuresInARow, 10));
        timer = world.now().plusSeconds(seconds);
        note("reconcile (" + why + ") failed: Logto unavailable; retry in " + seconds + "s");
      } else {
        failuresInARow = 0;
        timer = outcome.again().map(d -> world.now().plus(d)).orElse(null);
        note("reconcile (" + why + ") ok; next check " + timer + "; " + describe());
        checkStatus();
      }
      check("after reconcile (" + why + ")");
    }

    // The checks

    /** What must hold at every moment, whatever happened. */
    private void check(String when) {
      CredentialsSecrets.Credentials secret = world.secret();
      Set<String> accepted = world.acceptedNow();
      if (secret != null) {
        expect(accepted.contains(secret.appSecret()), when + ": LOGTO_APP_SECRET is refused");
        if (secret.previousSecret() != null) {
          expect(accepted.contains(secret.previousSecret()),
              when + ": LOGTO_APP_SECRET_PREVIOUS is refused");
        }
        for (RotationWorld.Replacement replaced : world.replacements) {
          Instant graceOver = replaced.at().plus(grace);
          if (world.now().isBefore(graceOver) && !revokedSince(replaced.at())) {
            expect(replaced.replaced().equals(secret.previousSecret()), when + ": a secret"
                + " replaced at " + replaced.at() + " left the Secret before " + graceOver);
            expect(accepted.contains(replaced.replaced()), when + ": a secret replaced at "
                + replaced.at() + " is refused before " + graceOver);
          }
        }
      }
      expect(accepted.size() <= 2, when + ": the app holds " + accepted.size() + " secrets");
      if (prediction != null && !world.operatorDown() && !world.logtoDown()
          && !lastTrouble.isAfter(predictionMadeAt)
          && world.now().isAfter(latest(prediction, predictionMadeAt).plus(LATENESS))) {
        boolean rotatedSince = world.creations.stream()
            .anyMatch(c -> !c.at().isBefore(predictionMadeAt));
        expect(rotatedSince, when + ": status said the next rotation starts at " + prediction
            + "; none has by " + world.now());
      }
    }

    /** What status says after a reconcile that went through. */
    private void checkStatus() {
      CredentialsStatus state = world.credentials();
      CredentialsSecrets.Credentials secret = world.secret();
      expect(state != null && state.getCurrent() != null && state.getPending() == null,
          "status names a current secret and no rotation under way");
      Map<String, String> values = new HashMap<>();
      world.inLogto().forEach(s -> values.put(s.name(), s.value()));
      expect(secret.appSecret().equals(values.get(state.getCurrent().getName())),
          "credentials.current names the Secret's LOGTO_APP_SECRET");
      if (tokenChecked.add(secret.appSecret())) {
        // Once per secret, through Logto's token endpoint, which the other checks judge by list.
        expect(world.accepted(secret.appSecret()), "a token with LOGTO_APP_SECRET");
      }
      if (state.getPrevious() == null) {
        expect(secret.previousSecret() == null, "no credentials.previous, yet the Secret"
            + " holds a previous secret");
      } else {
        expect(Objects.equals(secret.previousSecret(), values.get(state.getPrevious()
            .getName())), "credentials.previous names the Secret's LOGTO_APP_SECRET_PREVIOUS");
      }
      String request = world.annotation(CredentialRotation.ROTATE_ANNOTATION);
      boolean waiting = request != null && !request.equals(state.getRotateRequest());
      QueuedRotation queued = state.getQueued();
      if (waiting && state.getPrevious() == null) {
        // The previous secret retired in this reconcile: the request runs in the next one.
        expect(state.getNextRotation() != null
            && !Instant.parse(state.getNextRotation()).isAfter(world.now()) && timer != null
            && !timer.isAfter(world.now().plus(RotationSchedule.SOON)),
            "a request neither served, nor waiting, nor due at once");
        expect(queued == null, "status shows a request waiting for no previous secret");
      } else if (waiting) {
        expect(queued != null && request.equals(queued.getRequest())
            && queued.getRunsAt().equals(state.getPrevious().getRetireAt()),
            "status shows the request waiting until the previous secret retires");
        seenQueued.add(request);
      } else {
        expect(queued == null, "status shows a queued request that is not waiting");
      }
      prediction = Optional.ofNullable(state.getNextRotation()).map(Instant::parse).orElse(null);
      predictionMadeAt = world.now();
      if (prediction != null) {
        predictions.add(new Instant[] {predictionMadeAt, prediction});
      }
      expect(period.isEmpty() == (state.getNextRotation() == null) || waiting,
          "nextRotation is set exactly when there is a period");
    }

    /** Once the faults are over: every request served, the schedule kept. */
    private void checkTheTail(Instant tailStart) {
      CredentialsStatus state = world.credentials();
      expect(state.getPending() == null && state.getQueued() == null,
          "after the tail: no rotation under way or waiting");
      String request = world.annotation(CredentialRotation.ROTATE_ANNOTATION);
      expect(Objects.equals(request, state.getRotateRequest()),
          "after the tail: the last request was served");
      period.ifPresent(p -> {
        Instant last = Instant.parse(state.getLastRotation());
        expect(Duration.between(last, world.now()).compareTo(p.plus(LATENESS)) <= 0,
            "after the tail: a rotation within the last period (last " + last + ")");
      });
      if (state.getPrevious() != null) {
        expect(world.now().isBefore(Instant.parse(state.getPrevious().getRetireAt())
            .plus(LATENESS)), "after the tail: the previous secret is past its retirement");
      }
    }

    /** The record as a whole: rotations justified, Events truthful; the rotations allowed. */
    private long checkTheRecord() {
      List<Instant> requestTimes = world.requests.values().stream().sorted().toList();
      Instant before = RotationWorld.START;
      int consumed = 0;
      for (RotationWorld.Creation creation : world.creations) {
        expect(creation.heldBefore() <= 1, "a rotation started at " + creation.at()
            + " while the app held " + creation.heldBefore() + " secrets");
        int asked = 0;
        while (consumed < requestTimes.size()
            && !requestTimes.get(consumed).isAfter(creation.at())) {
          consumed++;
          asked++;
        }
        if (asked == 0) {
          Instant previous = before;
          expect(period.isPresent(), "a rotation at " + creation.at() + " that nobody asked for");
          expect(Duration.between(previous, creation.at()).compareTo(period.get()) >= 0,
              "a rotation at " + creation.at() + " less than a period after " + previous);
          for (Instant[] p : predictions) {
            boolean askedSince = requestTimes.stream()
                .anyMatch(q -> q.isAfter(p[0]) && !q.isAfter(creation.at()));
            if (p[0].isBefore(creation.at()) && !askedSince
                && world.creations.stream().noneMatch(c -> c.at().isAfter(p[0])
                    && c.at().isBefore(creation.at()))) {
              expect(!creation.at().isBefore(p[1]), "a rotation at " + creation.at()
                  + " before the nextRotation status gave at " + p[0] + ": " + p[1]);
            }
          }
        }
        before = creation.at();
      }
      long allowed = 1 + world.requests.size() + period.map(p ->
          Duration.between(RotationWorld.START, world.now()).toMillis() / p.toMillis())
          .orElse(0L);
      expect(world.creations.size() <= allowed, world.creations.size()
          + " rotations where the schedule and requests allow " + allowed);

      Map<String, Integer> queuedEvents = new HashMap<>();
      Pattern staysValid = Pattern.compile("previous secret (.+) stays valid until (\\S+)$");
      for (Event event : world.events()) {
        if ("RotationQueued".equals(event.getReason())) {
          Matcher m = Pattern.compile("=(\\S+) waits").matcher(event.getMessage());
          expect(m.find(), "a RotationQueued Event names its request: " + event.getMessage());
          queuedEvents.merge(m.group(1), 1, Integer::sum);
        }
        Matcher valid = staysValid.matcher(event.getMessage());
        if ("CredentialsRotated".equals(event.getReason()) && valid.find()) {
          expect(!grace.isZero(), "with gracePeriod 0s an Event says " + event.getMessage());
          Instant until = Instant.parse(valid.group(2));
          Instant deleted = world.deletions.get(valid.group(1));
          Instant said = Instant.parse(event.getFirstTimestamp());
          if (deleted != null && deleted.isBefore(until)) {
            expect(revokedBetween(said, deleted), "an Event said " + valid.group(1)
                + " stays valid until " + until + ", yet it was deleted at " + deleted);
          }
        }
      }
      for (String request : seenQueued) {
        int events = queuedEvents.getOrDefault(request, 0);
        expect(events >= 1, "request " + request + " waited without a RotationQueued Event");
        expect(events <= 1 + crashesWhileQueued.getOrDefault(request, 0), "request " + request
            + " told as waiting " + events + " times");
      }
      return allowed;
    }

    private boolean revokedSince(Instant since) {
      return grace.isZero() || revokedBetween(since, world.now());
    }

    /** Whether revoke-previous was on at some moment of [from, to]. */
    private boolean revokedBetween(Instant from, Instant to) {
      for (int i = 0; i < world.revokeOn.size(); i++) {
        Instant on = world.revokeOn.get(i);
        Instant off = i < world.revokeOff.size() ? world.revokeOff.get(i) : Instant.MAX;
        if (!on.isAfter(to) && !off.isBefore(from)) {
          return true;
        }
      }
      return false;
    }

    private String describe() {
      CredentialsStatus s = world.credentials();
      return "current " + s.getCurrent().getName() + (s.getPrevious() == null ? ""
          : ", previous " + s.getPrevious().getName() + " retires " + s.getPrevious()
              .getRetireAt()) + ", next " + s.getNextRotation()
          + (s.getQueued() == null ? "" : ", queued " + s.getQueued().getRequest());
    }

    private void note(String line) {
      log.addLast(world.now() + " " + line);
      if (log.size() > 40) {
        log.removeFirst();
      }
    }

    private void expect(boolean holds, String what) {
      assertThat(holds).as("%s%n(seed %d, period %s, grace %s; last steps:%n%s)", what, seed,
          period.orElse(null), grace, String.join("\n", log)).isTrue();
    }
  }

  private static Instant latest(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static Duration duration(String text) {
    try {
      return io.fabric8.kubernetes.api.model.Duration.parse(text).getDuration();
    } catch (java.text.ParseException e) {
      throw new IllegalArgumentException(text, e);
    }
  }
}
