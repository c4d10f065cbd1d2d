using VaeCfCluster.Client;

return CommandLineApplication.Run(args);
