pub(crate) mod company;
