package jx86.host;

/** {@code --serial none}: transmitted bytes are discarded and nothing is ever received. */
public final class NullSerial implements SerialBackend {
    @Override
    public void write(int b) {
    }

    @Override
    public int read() {
        return -1;
    }

    @Override
    public boolean hasInput() {
        return false;
    }

    @Override
    public boolean mayReceive() {
        return false;
    }

    @Override
    public void close() {
    }
}
