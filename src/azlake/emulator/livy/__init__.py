"""Emulated Livy behind the HDInsight cluster gateway (https://<cluster>.azurehdinsight.net/livy/...)."""
