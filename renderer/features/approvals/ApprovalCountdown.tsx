interface Props {
  secondsLeft: number;
  /** How many more approvals wait behind this one. */
  queued: number;
}

/** The deadline of a waiting approval, and how many more wait behind it. */
export function ApprovalCountdown({ secondsLeft, queued }: Props) {
  return (
    <>
      {/* role=timer is not announced every tick: a live countdown would drown the rest. */}
      <p className="approval-countdown" role="timer">
        {secondsLeft > 0 ? (
          <>
            Denied automatically in <strong>{secondsLeft} s</strong> if you do not answer.
          </>
        ) : (
          'Time is up: the request is being denied.'
        )}
      </p>
      {queued > 0 && (
        <p className="muted small">
          {queued === 1 ? '1 more request is waiting.' : `${queued} more requests are waiting.`}
        </p>
      )}
    </>
  );
}
