fn main() {
    #[cfg(feature = "csr")]
    {
        // start() installs the panic hook (console message and the panic screen, src/panic.rs).
        quire::start();
    }
}
