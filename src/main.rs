fn main() {
    #[cfg(feature = "csr")]
    {
        console_error_panic_hook::set_once();
        quire::start();
    }
}
